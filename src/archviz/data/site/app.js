// archviz gallery: theme, catalog filters, zoom and pan, and the compare page. No dependencies,
// no network: data arrives as scripts (window.ARCHVIZ_*), so the site works from file:// too.
"use strict";

(function () {
  const root = document.documentElement;
  const KEY = "archviz-theme";

  // --- theme: follows the system until the user chooses -----------------------------------
  function systemTheme() {
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function storedTheme() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function applyTheme(theme) {
    root.setAttribute("data-theme", theme);
    const button = document.getElementById("theme-toggle");
    if (button) {
      button.setAttribute("aria-pressed", theme === "dark" ? "true" : "false");
      button.textContent = theme === "dark" ? "Light theme" : "Dark theme";
    }
    document.dispatchEvent(new CustomEvent("archviz:theme", { detail: theme }));
  }
  applyTheme(storedTheme() || systemTheme());
  setupFonts();  // before the body is parsed, so figures never show in a fallback font first

  function setupThemeToggle() {
    const button = document.getElementById("theme-toggle");
    if (!button) return;
    applyTheme(root.getAttribute("data-theme"));
    button.addEventListener("click", function () {
      const next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
      try { localStorage.setItem(KEY, next); } catch (e) { /* private mode: no memory, still works */ }
      applyTheme(next);
    });
    if (window.matchMedia) {
      window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", function (ev) {
        if (!storedTheme()) applyTheme(ev.matches ? "dark" : "light");
      });
    }
  }

  // --- index: search, filters, sort ---------------------------------------------------------
  function setupIndex() {
    const list = document.getElementById("cards");
    if (!list) return;
    const cards = Array.from(list.querySelectorAll(".card"));
    const q = document.getElementById("search");
    const selects = Array.from(document.querySelectorAll("select[data-filter]"));
    const sort = document.getElementById("sort");
    const count = document.getElementById("count");
    function update() {
      const text = (q.value || "").trim().toLowerCase();
      let shown = 0;
      cards.forEach(function (card) {
        let ok = !text || card.dataset.search.indexOf(text) !== -1;
        selects.forEach(function (sel) {
          const want = sel.value;
          if (!want) return;
          const have = (card.dataset[sel.dataset.filter] || "").split(" ");
          if (have.indexOf(want) === -1) ok = false;
        });
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      const key = sort.value;
      const sign = key.charAt(0) === "-" ? -1 : 1;
      const field = key.replace(/^-/, "");
      cards.slice().sort(function (a, b) {
        const x = a.dataset[field], y = b.dataset[field];
        const nx = parseFloat(x), ny = parseFloat(y);
        const cmp = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return sign * cmp || a.dataset.id.localeCompare(b.dataset.id);
      }).forEach(function (card) { list.appendChild(card); });
      count.textContent = shown + " of " + cards.length + " models";
    }
    q.addEventListener("input", update);
    selects.forEach(function (s) { s.addEventListener("change", update); });
    sort.addEventListener("change", update);
    update();
  }

  // --- zoom and pan: wheel, drag, pinch, keyboard, buttons ----------------------------------
  function Viewer(box) {
    const stage = box.querySelector(".stage");
    let scale = 1, x = 0, y = 0;
    const pointers = new Map();
    let last = null, pinch = null;

    // The shown figure's untransformed size: its holder's layout box (the stage only shrink-wraps
    // it), so a measure taken while the stage eases to a new zoom is still right. Null until a
    // figure is there (one that arrives from its data script is fitted when it lands).
    function size() {
      const shown = Array.from(stage.children).filter(function (el) { return el.offsetParent !== null; })[0];
      if (!shown || !shown.offsetWidth || !shown.offsetHeight) return null;
      return { w: shown.offsetWidth, h: shown.offsetHeight };
    }
    function apply(smooth) {
      stage.classList.toggle("smooth", !!smooth);
      stage.style.transform = "translate(" + x + "px," + y + "px) scale(" + scale + ")";
      box.dataset.scale = scale.toFixed(3);
      if (box.onview) box.onview(scale, x, y);
    }
    function zoomAt(factor, cx, cy, smooth) {
      const next = Math.min(12, Math.max(0.05, scale * factor));
      x = cx - (cx - x) * (next / scale);
      y = cy - (cy - y) * (next / scale);
      scale = next;
      apply(smooth);
    }
    function fit() {
      const s = size();
      if (!s) return;
      const bw = box.clientWidth, bh = box.clientHeight;
      scale = Math.min(bw / s.w, bh / s.h) * 0.98;
      x = (bw - s.w * scale) / 2;
      y = (bh - s.h * scale) / 2;
      apply(true);
    }
    box.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      const r = box.getBoundingClientRect();
      zoomAt(Math.exp(-ev.deltaY * 0.0015), ev.clientX - r.left, ev.clientY - r.top, false);
    }, { passive: false });
    let start = null, dragged = false;
    box.addEventListener("pointerdown", function (ev) {
      pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
      last = { x: ev.clientX, y: ev.clientY };
      start = last;
      dragged = false;
    });
    box.addEventListener("pointermove", function (ev) {
      if (!pointers.has(ev.pointerId)) return;
      pointers.set(ev.pointerId, { x: ev.clientX, y: ev.clientY });
      if (!dragged && start && Math.hypot(ev.clientX - start.x, ev.clientY - start.y) > 4) {
        dragged = true;  // a drag, not a click: capture the pointer (links inside stay clickable)
        box.setPointerCapture(ev.pointerId);
        box.classList.add("dragging");
      }
      if (!dragged && pointers.size < 2) return;
      if (pointers.size === 2) {
        const p = Array.from(pointers.values());
        const d = Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y);
        const r = box.getBoundingClientRect();
        const cx = (p[0].x + p[1].x) / 2 - r.left, cy = (p[0].y + p[1].y) / 2 - r.top;
        if (pinch) zoomAt(d / pinch, cx, cy, false);
        pinch = d;
        return;
      }
      if (last) {
        x += ev.clientX - last.x;
        y += ev.clientY - last.y;
        last = { x: ev.clientX, y: ev.clientY };
        apply(false);
      }
    });
    function release(ev) {
      pointers.delete(ev.pointerId);
      if (pointers.size < 2) pinch = null;
      if (pointers.size === 0) { last = null; box.classList.remove("dragging"); }
    }
    box.addEventListener("pointerup", release);
    box.addEventListener("click", function (ev) {
      if (dragged) { ev.preventDefault(); ev.stopPropagation(); dragged = false; }
    }, true);
    box.addEventListener("pointercancel", release);
    box.addEventListener("keydown", function (ev) {
      const cx = box.clientWidth / 2, cy = box.clientHeight / 2, step = 60;
      const keys = {
        "+": function () { zoomAt(1.25, cx, cy, true); }, "=": function () { zoomAt(1.25, cx, cy, true); },
        "-": function () { zoomAt(0.8, cx, cy, true); }, "0": fit,
        "ArrowLeft": function () { x += step; apply(true); }, "ArrowRight": function () { x -= step; apply(true); },
        "ArrowUp": function () { y += step; apply(true); }, "ArrowDown": function () { y -= step; apply(true); },
      };
      if (keys[ev.key]) { ev.preventDefault(); keys[ev.key](); }
    });
    const bar = document.querySelector('.zoombar[data-for="' + CSS.escape(box.id) + '"]');
    if (bar) {
      bar.querySelector("[data-zoom-in]").addEventListener("click", function () {
        zoomAt(1.25, box.clientWidth / 2, box.clientHeight / 2, true);
      });
      bar.querySelector("[data-zoom-out]").addEventListener("click", function () {
        zoomAt(0.8, box.clientWidth / 2, box.clientHeight / 2, true);
      });
      bar.querySelector("[data-fit]").addEventListener("click", fit);
    }
    document.addEventListener("archviz:theme", function () { window.requestAnimationFrame(fit); });
    this.fit = fit;
    fit();
  }

  // --- deep zoom: a tile pyramid (render/tiles.py) shown at the level the zoom needs ---------------
  // Only the tiles in view are loaded; the level that fits the box stays underneath as a backdrop,
  // so panning and zooming never show a blank.
  function TileLayer(box, info, base) {
    const stage = box.querySelector(".stage");
    const layer = document.createElement("div");
    const k = 96 / info.dpi;  // CSS px per pixel of the full-size image
    const top = info.levels - 1;
    layer.className = "tiles";
    layer.dataset.width = String(info.width * k);
    layer.dataset.height = String(info.height * k);
    layer.style.width = info.width * k + "px";
    layer.style.height = info.height * k + "px";
    stage.appendChild(layer);
    const shown = new Map();
    let backdrop = null, queued = null;
    function levelFor(scale) {
      const dpr = window.devicePixelRatio || 1;
      const want = top - Math.floor(Math.log2(1 / Math.max(1e-6, scale * k * dpr)));
      return Math.max(0, Math.min(top, want));
    }
    function tiles(level, x0, y0, x1, y1) {
      const f = Math.pow(2, top - level), side = info.tile * f * k;
      const w = Math.ceil(info.width / f), h = Math.ceil(info.height / f);
      const cols = Math.ceil(w / info.tile), rows = Math.ceil(h / info.tile), out = [];
      for (let r = Math.max(0, Math.floor(y0 / side)); r <= Math.min(rows - 1, Math.floor(y1 / side)); r += 1) {
        for (let c = Math.max(0, Math.floor(x0 / side)); c <= Math.min(cols - 1, Math.floor(x1 / side)); c += 1) {
          // Each tile but the last in its row and column reaches one pixel into the next, so no
          // hairline of background shows between tiles at fractional zooms.
          const tw = Math.min(info.tile, w - c * info.tile) + (c < cols - 1 ? 1 : 0);
          const th = Math.min(info.tile, h - r * info.tile) + (r < rows - 1 ? 1 : 0);
          out.push({ key: level + "/" + c + "_" + r, level: level, left: c * side, top: r * side,
            width: tw * f * k, height: th * f * k });
        }
      }
      return out;
    }
    function update(scale, x, y) {
      if (backdrop === null) backdrop = levelFor(scale);
      const level = levelFor(scale);
      const x0 = -x / scale, y0 = -y / scale;
      const x1 = (box.clientWidth - x) / scale, y1 = (box.clientHeight - y) / scale;
      const wanted = tiles(backdrop, -Infinity, -Infinity, Infinity, Infinity)
        .concat(level > backdrop ? tiles(level, x0, y0, x1, y1) : []);
      const keep = new Set();
      wanted.forEach(function (t) {
        keep.add(t.key);
        if (shown.has(t.key)) return;
        const img = document.createElement("img");
        img.className = "tile";
        img.alt = "";
        img.decoding = "async";
        img.style.left = t.left + "px";
        img.style.top = t.top + "px";
        img.style.width = t.width + "px";
        img.style.height = t.height + "px";
        img.style.zIndex = String(t.level);
        img.src = base + t.key + "." + (info.format || "png");
        layer.appendChild(img);
        shown.set(t.key, img);
      });
      shown.forEach(function (img, key) {
        if (!keep.has(key)) { img.remove(); shown.delete(key); }
      });
      box.dataset.level = String(level);
      box.dataset.tiles = String(shown.size);
    }
    box.onview = function (scale, x, y) {
      if (queued) { queued = [scale, x, y]; return; }
      queued = [scale, x, y];
      window.requestAnimationFrame(function () { const q = queued; queued = null; update(q[0], q[1], q[2]); });
    };
  }

  function setupViewers() {
    document.querySelectorAll(".viewer[data-tiles]").forEach(function (box) {
      const info = (window.ARCHVIZ_TILES || {})[box.dataset.tiles];
      if (info) TileLayer(box, info, box.dataset.base);
    });
    document.querySelectorAll(".viewer").forEach(function (box) {
      box.viewer = new Viewer(box);
      box.querySelectorAll("[data-svg]").forEach(function (holder) { lazyFigure(box, holder); });
    });
  }

  // --- figures: bundled fonts, SVGs shipped deflated, PNGs drawn here --------------------------
  function bytesOf(b64) {
    const bin = atob(b64), out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
    return out;
  }
  function inflate(b64) {
    const stream = new Blob([bytesOf(b64)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).text();
  }
  const figures = {};
  // A model's figures as SVG text, {light, dark}, from its data/svg script (loaded by the page).
  function svgsOf(id) {
    if (!figures[id]) {
      const packed = window.ARCHVIZ_SVG[id];
      figures[id] = Promise.all([inflate(packed.light), inflate(packed.dark)]).then(function (t) {
        return { light: t[0], dark: t[1] };
      });
    }
    return figures[id];
  }
  // A figure the page does not hold is filled in from its data script the first time its theme shows.
  function lazyFigure(box, holder) {
    const theme = holder.dataset.themeOf;
    function fill() {
      if (root.getAttribute("data-theme") !== theme || holder.dataset.filled || !window.ARCHVIZ_SVG) return;
      holder.dataset.filled = "yes";
      svgsOf(holder.dataset.svg).then(function (s) {
        holder.innerHTML = s[theme];
        box.viewer.fit();
      });
    }
    document.addEventListener("archviz:theme", fill);
    fill();
  }
  function setupFonts() {
    const F = window.ARCHVIZ_FONTS;
    if (!F || !window.FontFace || !document.fonts) return;
    F.faces.forEach(function (f) {
      const face = new FontFace(f[0], bytesOf(F.files[f[2]]).buffer, { weight: f[1] });
      document.fonts.add(face);
    });
  }
  // The figure as a PNG at `scale` × its size, with the bundled fonts embedded (an SVG drawn as an
  // image sees no page fonts), so it matches the figure archviz measured.
  function pngOf(svg, scale) {
    const F = window.ARCHVIZ_FONTS;
    const css = F ? F.faces.map(function (f) {
      return "@font-face{font-family:'" + f[0] + "';font-weight:" + f[1] + ";src:url(data:font/ttf;base64," +
        F.files[f[2]] + ")}";
    }).join("") : "";
    // Text edits, not DOMParser: a parsed document takes the page's CSP, which refuses <style>.
    const open = /<svg\b[^>]*>/.exec(svg);
    const attr = function (name) {
      const m = new RegExp("\\s" + name + '="([0-9.]+)(px)?"').exec(open[0]);
      return m ? parseFloat(m[1]) : NaN;
    };
    const w = attr("width"), h = attr("height");
    const big = Math.max(1, Math.min(scale, Math.sqrt(16e6 / (w * h))));  // browsers cap canvas area
    const tag = open[0].replace(/\swidth="[^"]*"/, ' width="' + w * big + '"')
      .replace(/\sheight="[^"]*"/, ' height="' + h * big + '"');
    const text = svg.slice(0, open.index) + tag + "<style>" + css + "</style>" + svg.slice(open.index + open[0].length);
    const img = new Image();
    img.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(text);
    return img.decode().then(function () {
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(w * big);
      canvas.height = Math.round(h * big);
      canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) { return blob ? resolve(blob) : reject(new Error("PNG failed")); }, "image/png");
      });
    });
  }
  window.archvizPng = pngOf;
  function setupDownloads() {
    document.querySelectorAll("[data-png]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        const id = button.dataset.png, scale = parseFloat(button.dataset.scale) || 1;
        const dark = root.getAttribute("data-theme") === "dark";
        svgsOf(id).then(function (s) { return pngOf(dark ? s.dark : s.light, scale); }).then(function (blob) {
          const a = document.createElement("a");
          a.href = URL.createObjectURL(blob);
          a.download = id + (dark ? "-dark" : "") + (scale === 1 ? "" : "@" + scale + "x") + ".png";
          document.body.appendChild(a);
          a.click();
          a.remove();
          window.setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
        });
      });
    });
  }

  // --- compare: any two models, differences highlighted on both --------------------------------
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  // The diff of two models from their per-model records (products/compare.py), computed as
  // facts/diff.py's diff_specs computes it: features compared key by key in table order, each
  // difference classified, the effects on parameters and KV cache, and the shapes to outline.
  // Two decimals as Python prints them: an exact tie rounds to even (toFixed rounds it up).
  function fixed2(x) {
    // Python's "{:.2f}": the float's exact binary value, an exact tie rounded to even. Only a
    // multiple of 1/8 can sit exactly halfway (0.125, 0.375); toFixed rounds those up. A value such
    // as 0.075 is a little under its decimal, and toFixed and Python both give 0.07.
    const t = x * 100;
    if (!Number.isInteger(t) && Number.isInteger(x * 8)) {
      const lo = Math.floor(t);
      return ((lo % 2 === 0 ? lo : lo + 1) / 100).toFixed(2);
    }
    return x.toFixed(2);
  }

  function compareRecords(A, B) {
    const order = window.ARCHVIZ_LABELS, rank = {}, label = {};
    order.forEach(function (pair, i) { rank[pair[0]] = i; label[pair[0]] = pair[1]; });
    const keys = Object.keys(Object.assign({}, A.features, B.features)).sort(function (x, y) {
      const rx = x in rank ? rank[x] : order.length, ry = y in rank ? rank[y] : order.length;
      return rx - ry || (x < y ? -1 : x > y ? 1 : 0);
    });
    function has(r, k) { return Object.prototype.hasOwnProperty.call(r.features, k) && r.features[k] !== null; }
    function kind(k) {
      if (!has(A, k)) return "added";
      if (!has(B, k)) return "removed";
      const x = A.features[k], y = B.features[k];
      return typeof x === "number" && (typeof y === "number" || typeof y === "boolean") ? "changed number" : "changed kind";
    }
    const paths = keys.filter(function (k) { return !has(A, k) || !has(B, k) || A.features[k] !== B.features[k]; });
    const rows = paths.map(function (k) {
      const kd = kind(k);
      return {
        path: k, label: label[k] || k.replace(/_/g, " "), kind: kd,
        before: kd === "added" ? "—" : A.cells[k], after: kd === "removed" ? "—" : B.cells[k],
      };
    });
    const ta = A.totals, tb = B.totals, effects = [["params.total", "total"]];
    if (ta.active !== ta.total || tb.active !== tb.total) effects.push(["params.active", "active"]);
    effects.push(["kv_cache_per_token", "kv"]);
    effects.forEach(function (e) {
      const x = ta[e[1]], y = tb[e[1]];
      if (x === y) return;
      const ratio = x ? " (×" + fixed2(y / x) + ")" : "";
      rows.push({ path: e[0], label: label[e[0]] || e[0], kind: "effect", before: ta[e[1] + "_text"],
        after: tb[e[1] + "_text"] + ratio });
    });
    function lit(r) {
      const hit = new Set();
      paths.forEach(function (k) {
        // Paths of the table order have their own entry when they outline anything; any other path
        // outlines what its role (first segment) does.
        const own = k in rank ? r.touch[k] : r.touch[k] || r.touch["@" + k.split(".")[0]];
        (own || []).forEach(function (i) { hit.add(i); });
      });
      return Array.from(hit).sort(function (x, y) { return x - y; }).map(function (i) { return r.shapes[i]; });
    }
    const metaDiffers = Object.keys(A.meta).some(function (k) { return A.meta[k] !== B.meta[k]; });
    const summary = paths.length
      ? A.id + " → " + B.id + ": " + paths.length + " architectural difference(s)."
      : A.id + " and " + B.id + ": architecture identical" + (metaDiffers ? ", metadata differs" : "") + ".";
    return { summary: summary, rows: rows, a: lit(A), b: lit(B) };
  }
  window.archvizCompare = compareRecords;

  function setupCompare() {
    const form = document.getElementById("compare-form");
    if (!form) return;
    const selA = document.getElementById("model-a"), selB = document.getElementById("model-b");
    const params = new URLSearchParams(window.location.search);
    if (params.get("a")) selA.value = params.get("a");
    if (params.get("b")) selB.value = params.get("b");
    const base = form.dataset.base;

    function esc(s) {
      return String(s).replace(/[&<>"']/g, function (c) {
        return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
      });
    }
    // Ids come from spec names: selectors built from them always go through CSS.escape.
    function place(side, id, svgs, hl) {
      const box = document.getElementById("side-" + side);
      const stage = box.querySelector(".stage");
      stage.innerHTML = '<div class="only-light">' + svgs.light + '</div><div class="only-dark">' + svgs.dark + "</div>";
      hl.forEach(function (sid) {
        ["", "dark-"].forEach(function (prefix) {
          const el = stage.querySelector("#" + CSS.escape(prefix + sid));
          if (el) el.classList.add("hl");
        });
      });
      document.getElementById("name-" + side).textContent = window.ARCHVIZ_CATALOG[id].name;
      box.viewer.fit();
    }
    function show() {
      const a = selA.value, b = selB.value;
      Promise.all([
        loadScript(base + "data/svg/" + a + ".js"),
        loadScript(base + "data/svg/" + b + ".js"),
        loadScript(base + "data/compare/" + a + ".js"),
        loadScript(base + "data/compare/" + b + ".js"),
      ]).then(function () {
        return Promise.all([svgsOf(a), svgsOf(b)]);
      }).then(function (svgs) {
        const d = a === b ? { summary: "The same model.", rows: [], a: [], b: [] }
          : compareRecords(window.ARCHVIZ_COMPARE[a], window.ARCHVIZ_COMPARE[b]);
        place("a", a, svgs[0], d.a);
        place("b", b, svgs[1], d.b);
        document.getElementById("summary").textContent = d.summary;
        const body = document.getElementById("diff-rows");
        body.innerHTML = d.rows.map(function (r) {
          return '<tr data-path="' + esc(r.path) + '"><td>' + esc(r.label) + "</td><td>" + esc(r.kind) +
            "</td><td>" + esc(r.before) + "</td><td>" + esc(r.after) + "</td></tr>";
        }).join("");
        const url = new URL(window.location.href);
        url.searchParams.set("a", a);
        url.searchParams.set("b", b);
        window.history.replaceState(null, "", url.toString());
        document.body.dataset.compared = a + "|" + b;
      }).catch(function (err) {
        document.getElementById("summary").textContent = err.message;
      });
    }
    form.addEventListener("submit", function (ev) { ev.preventDefault(); show(); });
    selA.addEventListener("change", show);
    selB.addEventListener("change", show);
    show();
  }

  // --- memory calculator: KV cache for a context, batch and cache type -------------------------
  function bytesText(n) {
    const units = [["GiB", 1 << 30], ["MiB", 1 << 20], ["KiB", 1024]];
    for (let i = 0; i < units.length; i += 1) {
      if (n >= units[i][1]) return (n / units[i][1]).toFixed(2) + " " + units[i][0];
    }
    return Math.round(n) + " bytes";
  }
  function setupCalculator() {
    const box = document.getElementById("calculator");
    if (!box) return;
    const profile = JSON.parse(box.dataset.profile);
    const ctx = document.getElementById("calc-context"), batch = document.getElementById("calc-batch");
    const dtype = document.getElementById("calc-dtype"), out = document.getElementById("calc-result");
    function update() {
      const n = Math.max(1, parseInt(ctx.value, 10) || 1), b = Math.max(1, parseInt(batch.value, 10) || 1);
      const size = parseFloat(dtype.value);
      let values = 0;
      profile.cache.forEach(function (g) { values += g.values * g.layers * Math.min(n, g.span || n); });
      const kv = values * size * b, state = profile.state * size * b;
      out.textContent = "KV cache: " + bytesText(kv) + (state ? " + fixed state " + bytesText(state) : "") +
        " for " + b + " × " + n.toLocaleString("en") + " tokens (" + dtype.options[dtype.selectedIndex].text + ").";
      out.dataset.bytes = String(kv);
    }
    [ctx, batch, dtype].forEach(function (el) { el.addEventListener("input", update); });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupCalculator();
    setupThemeToggle();
    setupDownloads();
    setupIndex();
    setupViewers();
    setupCompare();
  });
})();
