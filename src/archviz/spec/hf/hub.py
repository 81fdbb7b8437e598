"""Hugging Face Hub ids ('Qwen/Qwen3-8B'): only config.json (and the model card, for its licence
and base model) is fetched, through huggingface_hub, so its cache, its offline mode
(HF_HUB_OFFLINE=1) and its token (HF_TOKEN, or `hf auth login`) work as they do for every other
Hugging Face tool. huggingface_hub is imported only when a Hub id is used.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from archviz.errors import ArchvizError

HUB_ID = re.compile(r"[A-Za-z0-9][\w.\-]{0,95}/[A-Za-z0-9][\w.\-]{0,95}")


def is_hub_id(ref: str | Path) -> bool:
    """'org/name' that is not a path on disk (a local file or folder always wins)."""
    text = str(ref)
    return bool(HUB_ID.fullmatch(text)) and not Path(text).exists() and not text.endswith((".json", ".yaml", ".yml"))


def _download(repo_id: str, filename: str) -> Path:
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import (
        EntryNotFoundError,
        GatedRepoError,
        HFValidationError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    try:
        return Path(hf_hub_download(repo_id, filename))
    except GatedRepoError:
        raise ArchvizError(
            f"{repo_id} is gated on the Hugging Face Hub: accept its terms there, then log in "
            "(`hf auth login`) or set HF_TOKEN"
        ) from None
    except RepositoryNotFoundError:
        raise ArchvizError(
            f"no model {repo_id} on the Hugging Face Hub (or it is private: log in with `hf auth login` "
            "or set HF_TOKEN)"
        ) from None
    except RevisionNotFoundError:
        raise ArchvizError(f"{repo_id} has no such revision on the Hugging Face Hub") from None
    except LocalEntryNotFoundError:
        raise ArchvizError(
            f"{repo_id}'s {filename} is not in the Hugging Face cache, and the Hub cannot be reached "
            "(HF_HUB_OFFLINE is set, or there is no network)"
        ) from None
    except EntryNotFoundError:
        raise ArchvizError(f"{repo_id} on the Hugging Face Hub has no {filename}") from None
    except HFValidationError as e:
        raise ArchvizError(f"'{repo_id}' is not a Hugging Face model id: {e}") from None
    except OSError as e:  # the network, or the cache folder
        raise ArchvizError(f"cannot fetch {repo_id}'s {filename} from the Hugging Face Hub: {e}") from None


def fetch_config(repo_id: str) -> Path:
    """The path of `repo_id`'s config.json in the Hugging Face cache (downloaded if need be)."""
    return _download(repo_id, "config.json")


def card_metadata(repo_id: str) -> dict[str, Any]:
    """The model card's metadata (licence, base model, ...), or {} when there is no card or it
    cannot be read: a card is a courtesy, the config is the source."""
    from huggingface_hub.repocard import metadata_load

    try:
        path = _download(repo_id, "README.md")
        return metadata_load(path) or {}
    except (ArchvizError, ValueError, OSError):
        return {}


def config_url(repo_id: str) -> str:
    return f"https://huggingface.co/{repo_id}/blob/main/config.json"
