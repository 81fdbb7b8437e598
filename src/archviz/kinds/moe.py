"""A mixture of experts: a router picks top_k of the routed experts per token; shared experts
see every token; latent MoE runs the experts in a smaller width."""

from __future__ import annotations

from archviz.kinds.base import FFNKind, FFNParams, Inner, register_ffn
from archviz.kinds.graph import Graph, GraphBuilder
from archviz.kinds.mlp import mlp_params
from archviz.spec.models import ModelSpec, MoE


def expert_numbers(n: int) -> list[str]:
    """The experts drawn: all of them when few, else 1, 2, 3, …, n."""
    return [str(i + 1) for i in range(n)] if n <= 4 else ["1", "2", "3", "…", str(n)]


class MoEKind(FFNKind):
    kind = "moe"

    def label(self, f: MoE) -> str:
        return "MoE"

    def title(self, f: MoE) -> str:
        return "Mixture of experts"

    def detail(self, f: MoE) -> str:
        shared = f", {f.shared_experts} shared" if f.shared_experts else ""
        return f"{f.experts} experts, top-{f.top_k}{shared}"

    def tags(self, f: MoE) -> tuple[str, ...]:
        extra = (*(("shared",) if f.shared_experts else ()), *(("latent",) if f.latent_size else ()))
        return ("ffn", "moe", *extra)

    def params(self, spec: ModelSpec, f: MoE) -> FFNParams:
        h = spec.hidden_size
        width = f.latent_size or h
        one = mlp_params(width, f.expert_hidden, f.gated, f.bias)
        shared = f.shared_experts * mlp_params(h, f.shared_hidden or f.expert_hidden, f.gated, f.bias)
        router = h * f.experts + (f.experts if f.router.bias else 0) + (h if f.shared_gate else 0)
        router += spec.vocab_size * f.top_k if f.router.hash else 0  # the token -> experts table
        latent = 2 * h * f.latent_size if f.latent_size else 0  # in and out of the latent space
        return FFNParams(routed=f.experts * one, routed_active=f.top_k * one, shared=shared + latent, router=router)

    def inner(self, spec: ModelSpec, f: MoE) -> tuple[Inner, ...]:
        h = spec.hidden_size
        who = f"each expert, {f.latent_size:,} wide" if f.latent_size else "each expert"
        out = [Inner(f.activation, f.gated, f.bias, f.latent_size or h, f.expert_hidden, who, expert=True)]
        if f.shared_experts:
            who = "shared expert" if f.shared_experts == 1 else "each shared expert"
            out.append(Inner(f.activation, f.gated, f.bias, h, f.shared_hidden or f.expert_hidden, who, expert=True))
        return tuple(out)

    def graph(self, spec: ModelSpec, name: str, f: MoE) -> Graph:
        path = f"ffns.{name}"
        numbers = expert_numbers(f.experts)
        experts = tuple(f"e{n}" for n in numbers)
        # A latent MoE routes on the full hidden state beside the projection into the latent.
        streams = (("router",) if f.latent_size else ()) + experts + (("shared",) if f.shared_experts else ())
        g = GraphBuilder(path, "Mixture of experts", streams)
        x = g.add("input", "Input", role="io", path="hidden_size")
        scoring = f.router.scoring.replace("sqrt_softplus", "√softplus") + (" + bias" if f.router.bias else "")
        scoring = f"hashed by token, {scoring} weights" if f.router.hash else scoring
        latent = None
        if f.latent_size:
            latent = g.add(
                "latent-down",
                "Linear ↓ latent",
                detail=f"{spec.hidden_size:,} → {f.latent_size:,}",
                role="linear",
                path=f"{path}.latent_size",
            )
            g.edge(x, latent)
        router = g.add(
            "router",
            "Router",
            detail=f"top-{f.top_k} of {f.experts} · {scoring}",
            role="router",
            stream="router" if f.latent_size else None,
            path=f"{path}.router",
            tooltip=f"Sends each token to {f.top_k} of {f.experts} experts ({scoring} scores)",
        )
        g.edge(x, router)
        total = g.add(
            "sum", "+", role="operator", symbol="+", path=path, tooltip="Weighted sum of the experts' outputs"
        )
        shaded = {numbers[0], numbers[2]} if f.top_k > 1 and len(numbers) > 2 else {numbers[0]}
        for n in numbers:
            if n == "…":
                e = g.add("expert-more", "…", role="ellipsis", stream=f"e{n}", path=f"{path}.experts")
            else:
                e = g.add(
                    f"expert-{n}",
                    n,
                    role="expert",
                    stream=f"e{n}",
                    active=n in shaded,
                    path=f"{path}.experts",
                    tooltip=f"Expert {n}: an FFN with hidden size {f.expert_hidden:,}",
                )
            g.edge(router, e, style="fan")
            if latent is not None:
                g.edge(latent, e)
            g.edge(e, total, style="fan")
        top = total
        if f.latent_size:
            up = g.add(
                "latent-up",
                "Linear ↑",
                detail=f"{f.latent_size:,} → {spec.hidden_size:,}",
                role="linear",
                path=f"{path}.latent_size",
            )
            g.edge(total, up)
            top = up
        if f.shared_experts:
            label = "Shared expert" if f.shared_experts == 1 else f"{f.shared_experts} shared"
            shared = g.add(
                "shared",
                label,
                detail=f"hidden {f.shared_hidden or f.expert_hidden:,}",
                role="shared",
                stream="shared",
                path=f"{path}.shared_experts",
                tooltip="Every token passes through it",
            )
            g.edge(x, shared)
            last = shared
            if f.shared_gate:
                last = g.add("shared-gate", "× sigmoid gate", stream="shared", path=f"{path}.shared_gate")
                g.edge(shared, last)
            if top == total:
                g.edge(last, total, style="side")
            else:
                merge = g.add("merge", "+", role="operator", symbol="+", path=path)
                g.edge(top, merge)
                g.edge(last, merge, style="side")
                top = merge
        y = g.add("output", "Output", role="io", path="hidden_size")
        g.edge(top, y, f"{spec.hidden_size:,}")
        shared = f" + {f.shared_experts} shared" if f.shared_experts else ""
        sizes = f"hidden size {f.expert_hidden:,}"
        if f.shared_experts and f.shared_hidden and f.shared_hidden != f.expert_hidden:
            sizes = f"hidden size {f.expert_hidden:,} (shared {f.shared_hidden:,})"
        g.caption("Experts per token (shaded)", f"{f.top_k} of {f.experts} routed{shared}, {sizes}")
        if f.latent_size:
            g.caption("Latent MoE", f"experts work {f.latent_size:,} wide")
        return g.build(f"MoE: {f.experts} experts, {f.top_k} active, {f.shared_experts} shared")


register_ffn(MoEKind())
