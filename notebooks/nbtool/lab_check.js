// The page side of TestNotebooksJupyterLab: helpers installed into a live
// JupyterLab 4 page (started with --LabApp.expose_app_in_browser, which sets
// window.jupyterapp). The Go side calls window.__bp.* through the DevTools
// protocol; every function returns plain JSON.
window.__bp = {
  nb: {},

  // open opens the notebook at path (relative to the server root) in the
  // notebook editor and waits for its kernel.
  async open(path) {
    const app = window.jupyterapp;
    await app.restored;
    const w = await app.commands.execute('docmanager:open', {path: path, factory: 'Notebook'});
    await w.context.ready;
    await w.sessionContext.ready;
    const st = {w: w, done: false};
    this.nb[path] = st;
    app.shell.activateById(w.id);
    const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
    return {kernel: kernel ? kernel.name : null, windowing: (w.content.notebookConfig || {}).windowingMode || ''};
  },

  // run starts the command "Run All Cells" on the notebook (named by its
  // widget id, as JupyterLab's toolbar does, rather than by which notebook
  // has the focus); st.done turns true when the command's promise settles.
  // A command that found no notebook returns undefined: an error.
  run(path) {
    const st = this.nb[path];
    st.t0 = performance.now();
    window.jupyterapp.commands.execute('notebook:run-all-cells', {semanticWidget: st.w.id, activate: true}).then(
      r => { st.done = true; st.t1 = performance.now(); st.result = r;
             if (r === undefined) st.error = 'notebook:run-all-cells found no notebook ' + st.w.id; },
      e => { st.done = true; st.t1 = performance.now(); st.error = String(e); });
    return true;
  },

  // progress: whether run-all finished, the kernel's status and the chart
  // counts (see charts).
  progress(path) {
    const st = this.nb[path], w = st.w;
    const k = w.sessionContext.session && w.sessionContext.session.kernel;
    return {done: st.done, kernel: k ? k.status : null, charts: this.charts(w.content.node),
            seconds: st.t1 ? (st.t1 - st.t0) / 1000 : null, runError: st.error || null};
  },

  // charts counts the ECharts charts below root: their containers
  // (div[data-bp-chart], div.bp-chart, or an ECharts instance), the ones
  // whose canvas has painted (non-transparent) pixels, and the ones still
  // showing their fallback text ("gave up": the loader stopped retrying).
  charts(root) {
    const seen = new Set();
    for (const e of root.querySelectorAll('div[data-bp-chart], div.bp-chart, [_echarts_instance_]')) {
      seen.add(e.closest('div[data-bp-chart], div.bp-chart') || e);
    }
    const out = {found: 0, painted: 0, fallback: 0, gaveUp: 0, unpainted: []};
    for (const el of seen) {
      out.found++;
      let painted = false;
      for (const c of el.querySelectorAll('canvas')) {
        if (!c.width || !c.height) continue;
        try {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          for (let i = 3; i < d.length; i += 4 * 7) { if (d[i]) { painted = true; break; } }
        } catch (e) { }
        if (painted) break;
      }
      if (painted) out.painted++;
      const fb = el.querySelector('.bp-fallback');
      if (fb) { out.fallback++; if (/gave up/.test(fb.textContent)) out.gaveUp++; }
      if (!painted) out.unpainted.push((el.getAttribute('data-bp-chart') || el.id || '?') +
          (fb ? ': ' + fb.textContent.slice(0, 80) : ''));
    }
    out.echarts = window.echarts ? window.echarts.version : '';
    return out;
  },

  // timelines drives every interactive figure below the notebook (a chart
  // whose ECharts option has a timeline), as a learner dragging its slider
  // would: it moves each to another frame with the timelineChange action
  // and reports, per figure, the frame it opened on, the frame it reached,
  // whether its caption (title subtext) and the pixels of its canvas
  // changed. A figure that does not move, or moves without redrawing, is a
  // figure a learner cannot play with.
  async timelines(path) {
    const root = this.nb[path].w.content.node, out = [];
    const sig = el => {
      const c = el.querySelector('canvas');
      if (!c || !c.width) return 'no canvas';
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let h = 0;
      for (let i = 0; i < d.length; i++) h = (Math.imul(h, 31) + d[i]) | 0;
      return String(h);
    };
    for (const el of root.querySelectorAll('div[data-bp-chart], div.bp-chart')) {
      const inst = window.echarts && window.echarts.getInstanceByDom(el.matches('[_echarts_instance_]') ? el : (el.querySelector('[_echarts_instance_]') || el));
      if (!inst) continue;
      const o = inst.getOption();
      if (!o.timeline || !o.timeline.length) continue;
      el.scrollIntoView({block: 'center'});
      await new Promise(r => setTimeout(r, 300));
      const n = (o.timeline[0].data || []).length;
      const r = {id: el.getAttribute('data-bp-chart') || el.id || '?', frames: n, start: o.timeline[0].currentIndex,
                 caption0: ((o.title || [])[0] || {}).subtext || '', sig0: sig(el)};
      r.target = (r.start + Math.max(1, Math.floor(n / 2))) % Math.max(n, 1);
      inst.dispatchAction({type: 'timelineChange', currentIndex: r.target});
      await new Promise(res => setTimeout(res, 800));
      const p = inst.getOption();
      r.reached = p.timeline[0].currentIndex;
      r.caption = ((p.title || [])[0] || {}).subtext || '';
      r.sig = sig(el);
      out.push(r);
    }
    return out;
  },

  // revealUnpainted scrolls each unpainted chart into view (the notebook
  // renders cells out of view lazily, as a learner scrolling would see
  // them) and returns how many there were.
  async revealUnpainted(path) {
    const root = this.nb[path].w.content.node;
    let n = 0;
    for (const el of root.querySelectorAll('div[data-bp-chart], div.bp-chart')) {
      const c = el.querySelector('canvas');
      if (c && c.width && c.height) continue;
      el.scrollIntoView({block: 'center'});
      n++;
      await new Promise(r => setTimeout(r, 300));
    }
    return n;
  },

  // stats reads the notebook model: code cells and how many ran, error
  // outputs (those of cells tagged raises-exception counted apart), and
  // stderr streams with "panic:" or "exit status" (a failed ! shell line is
  // no cell error).
  stats(path) {
    const st = this.nb[path], cells = st.w.content.model.cells;
    const r = {cells: cells.length, code: 0, executed: 0, errors: [], expectedErrors: 0, stderr: []};
    for (let i = 0; i < cells.length; i++) {
      const j = cells.get(i).toJSON();
      if (j.cell_type !== 'code') continue;
      r.code++;
      if (j.execution_count !== null && j.execution_count !== undefined) r.executed++;
      const tags = (j.metadata && j.metadata.tags) || [];
      for (const o of j.outputs || []) {
        if (o.output_type === 'error') {
          if (tags.includes('raises-exception')) r.expectedErrors++;
          else r.errors.push('cell ' + i + ' (' + (j.id || '') + '): ' + o.ename + ': ' + String(o.evalue).slice(0, 300));
        } else if (o.output_type === 'stream' && o.name === 'stderr') {
          const t = Array.isArray(o.text) ? o.text.join('') : o.text;
          if (/panic:|exit status/.test(t) && !tags.includes('raises-exception'))
            r.stderr.push('cell ' + i + ' (' + (j.id || '') + '): ' + t.slice(0, 300));
        }
      }
    }
    return r;
  },

  // model is the executed notebook as JupyterLab would save it, without
  // the cells' trust flags.
  model(path) {
    const nb = this.nb[path].w.content.model.toJSON();
    for (const c of nb.cells) if (c.metadata) delete c.metadata.trusted;
    return JSON.stringify(nb);
  },

  // close shuts the notebook's kernel down and drops the widget without
  // saving (autosave is off in the test's settings).
  async close(path) {
    const w = this.nb[path].w;
    await w.sessionContext.shutdown();
    w.dispose();
    delete this.nb[path];
    return true;
  },
};
true;
