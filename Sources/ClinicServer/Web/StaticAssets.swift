/// The stylesheet (and script) served by the app itself: no CDN.
enum StaticAssets {
    /// Pages work without JavaScript; this only wires "Print" buttons (inline handlers are refused by the CSP).
    static let js = """
    document.querySelectorAll('[data-print]').forEach(function (b) { b.addEventListener('click', function () { window.print(); }); });
    """

    /// The room board's live updates (Server-Sent Events): each event carries a chair card the server rendered and
    /// escaped with the same template as the page; the script swaps it in and keeps elapsed times ticking.
    static let boardJS = """
    (function () {
      var board = document.querySelector('[data-live]');
      if (!board) return;
      var status = document.getElementById('board-status');
      function tick() {
        var now = Date.now();
        document.querySelectorAll('.elapsed[data-started]').forEach(function (el) {
          var s = Math.max(0, Math.floor((now - Number(el.getAttribute('data-started'))) / 1000));
          el.textContent = Math.floor(s / 60) + ':' + String(s % 60).padStart(2, '0');
        });
      }
      setInterval(tick, 1000);
      if (!window.EventSource) return;
      var source = new EventSource(board.getAttribute('data-live'));
      source.addEventListener('chair', function (e) {
        var data = JSON.parse(e.data);
        var old = document.getElementById('chair-' + data.id);
        if (!old) return;
        var t = document.createElement('template');
        t.innerHTML = data.html;
        var card = t.content.firstElementChild;
        if (card) { old.replaceWith(card); tick(); }
        board.setAttribute('data-updated', String(Date.now()));
      });
      source.addEventListener('quarantine', function () {
        if (status) status.textContent = 'New monitor messages went to quarantine: reload to see the count.';
      });
      source.onopen = function () { if (status) status.textContent = 'Live: values and alarms update by themselves.'; };
      source.onerror = function () { if (status) status.textContent = 'Connection lost: reconnecting…'; };
    })();
    """

    static let css = """
    svg.vitals-chart { width:100%; height:auto; background:#fff; }
    svg.vitals-chart .grid { stroke:#e6eaef; stroke-width:1; }
    svg.vitals-chart .axis { font-size:11px; fill:#5b6b7c; }
    svg.vitals-chart .marker { stroke:#1f5f8b; stroke-dasharray:4 3; }
    svg.vitals-chart .marker-label { font-size:11px; fill:#1f5f8b; }
    svg.vitals-chart .alarm-tick { stroke:#a32121; stroke-width:3; }
    svg.vitals-chart polyline { stroke-width:1.6; }
    .s-hr { stroke:#c0392b; fill:#c0392b; } .s-sys { stroke:#1f5f8b; fill:#1f5f8b; } .s-dia { stroke:#6a9ec4; fill:#6a9ec4; }
    .s-spo2 { stroke:#1e7d4f; fill:#1e7d4f; }
    svg.vitals-chart polyline.s-hr, svg.vitals-chart polyline.s-sys, svg.vitals-chart polyline.s-dia, svg.vitals-chart polyline.s-spo2 { fill:none; }
    .room-board { display:grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap:.9rem; }
    .board-head { display:flex; align-items:baseline; gap:1rem; flex-wrap:wrap; }
    .chair-card { background:var(--card); border:2px solid var(--line); border-radius:12px; padding:.7rem .9rem; }
    .chair-card h2 { margin:0; font-size:1.1rem; }
    .chair-head { display:flex; justify-content:space-between; align-items:baseline; gap:.5rem; }
    .chair-patient { margin:.3rem 0 .1rem; font-weight:600; }
    .chair-state { margin:0 0 .4rem; display:flex; gap:.6rem; align-items:center; }
    .elapsed { font-variant-numeric: tabular-nums; font-weight:600; }
    .vitals { display:grid; grid-template-columns: repeat(3, 1fr); gap:.3rem; margin:.2rem 0 .4rem; }
    .vital.wide { grid-column: span 2; }
    .vital { background:var(--bg); border-radius:8px; padding:.25rem .45rem; }
    .vital dt { font-size:.75rem; color:var(--muted); }
    .vital dd { margin:0; font-size:1.3rem; white-space:nowrap; font-weight:700; font-variant-numeric: tabular-nums; }
    .vital dd small { font-size:.7rem; font-weight:400; color:var(--muted); }
    .vital.v-high { background:var(--badbg); color:var(--bad); }
    .vital.v-medium { background:var(--warnbg); color:var(--warn); }
    .vital.v-advisory { outline:1px dashed var(--warn); }
    .sparks { display:flex; gap:.3rem; color:var(--brand); }
    .sparks svg.spark { width:100%; height:28px; }
    .chair-card.chair-high { border-color:var(--bad); box-shadow:0 0 0 3px var(--badbg); }
    .chair-card.chair-medium { border-color:var(--warn); }
    ul.alarms, ul.prompts { list-style:none; padding:0; margin:.4rem 0; }
    ul.alarms li { padding:.35rem .5rem; border-radius:8px; margin-bottom:.3rem; }
    li.alarm-high { background:var(--badbg); color:var(--bad); }
    li.alarm-medium { background:var(--warnbg); color:var(--warn); }
    li.alarm-advisory { background:var(--bg); color:var(--muted); }
    ul.alarms .action { display:block; font-size:.85rem; color:var(--ink); }
    .escalated { display:block; font-size:.85rem; }
    .chair-card.chair-high:has(.escalated) { animation: pulse 1s ease-in-out infinite alternate; }
    @keyframes pulse { from { box-shadow:0 0 0 3px var(--badbg); } to { box-shadow:0 0 0 7px #f5b3b3; } }
    button.ack { margin-top:.3rem; padding:.45rem .9rem; font-weight:600; }
    ul.prompts li { font-size:.9rem; color:var(--warn); }
    .flash.warn { background:var(--warnbg); color:var(--warn); }
    p.small { font-size:.8rem; margin:.2rem 0 0; }
    :root { --ink:#1d2733; --muted:#5b6b7c; --line:#d8dee6; --bg:#f5f7fa; --card:#fff; --brand:#1f5f8b; --ok:#1e7d4f; --okbg:#e3f4ea;
            --warn:#8a5a00; --warnbg:#fff3d6; --bad:#a32121; --badbg:#fde6e6; }
    * { box-sizing: border-box; }
    body { margin:0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
    a { color:var(--brand); }
    header.top { display:flex; align-items:center; gap:1.5rem; padding:.6rem 1.2rem; background:var(--brand); color:#fff; flex-wrap:wrap; }
    header.top a { color:#fff; text-decoration:none; }
    .brand { font-weight:700; font-size:1.15rem; }
    header nav { display:flex; gap:.3rem; flex:1; flex-wrap:wrap; }
    header nav a { padding:.45rem .8rem; border-radius:6px; }
    header nav a.active, header nav a:hover { background:rgba(255,255,255,.18); }
    .who { display:flex; gap:.8rem; align-items:center; font-size:.9rem; }
    button.link { background:none; border:1px solid rgba(255,255,255,.6); color:#fff; padding:.3rem .7rem; }
    main { max-width:1180px; margin:0 auto; padding:1.2rem; }
    h1 { font-size:1.6rem; margin:.4rem 0 .8rem; }
    h2 { font-size:1.2rem; margin:.2rem 0 .6rem; }
    h3 { font-size:1rem; margin:1rem 0 .4rem; }
    .muted, .hint { color:var(--muted); }
    small.hint { display:block; font-size:.82rem; }
    td.mono, .nowrap { white-space:nowrap; }
    td.mono.wrap { white-space:normal; word-break:break-all; font-size:.8rem; }
    .scroll { overflow-x:auto; }
    .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, monospace; font-size:.92em; }
    .card { background:var(--card); border:1px solid var(--line); border-radius:10px; padding:1rem 1.2rem; margin:0 0 1rem; }
    .card.narrow { max-width:520px; margin-left:auto; margin-right:auto; }
    .columns { display:grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap:1rem; }
    .page-head { display:flex; justify-content:space-between; align-items:flex-start; gap:1rem; flex-wrap:wrap; }
    .actions { display:flex; gap:.6rem; flex-wrap:wrap; align-items:center; margin:.6rem 0; }
    button, .button { font:inherit; min-height:44px; padding:.5rem 1rem; border-radius:8px; border:1px solid var(--line); background:#fff; color:var(--ink);
                      cursor:pointer; text-decoration:none; display:inline-flex; align-items:center; }
    button.primary, .button.primary { background:var(--brand); border-color:var(--brand); color:#fff; }
    button.danger { color:var(--bad); border-color:#e7b4b4; }
    form.inline { display:inline-flex; gap:.4rem; align-items:center; margin:0; }
    input, select, textarea { font:inherit; min-height:44px; padding:.45rem .6rem; border:1px solid #b9c3cf; border-radius:8px; width:100%; background:#fff; }
    textarea { min-height:80px; }
    input[type=checkbox], input[type=radio] { width:22px; min-height:22px; height:22px; margin:0 .4rem 0 0; }
    .field { margin:0 0 .8rem; }
    .field label { display:block; font-weight:600; margin-bottom:.2rem; }
    .field.check { display:flex; align-items:center; padding-top:1.6rem; }
    .field.check label { margin:0; font-weight:500; }
    .field.confirm, .confirm .field.check { padding:.6rem; background:var(--warnbg); border-radius:8px; }
    .has-error input, .has-error select, .has-error textarea { border-color:var(--bad); background:#fffafa; }
    small.error { display:block; color:var(--bad); font-weight:600; }
    .req { color:var(--bad); }
    fieldset { border:1px solid var(--line); border-radius:10px; background:#fff; margin:0 0 1rem; padding:.8rem 1rem; }
    legend { font-weight:700; padding:0 .4rem; }
    .grid { display:grid; grid-template-columns: repeat(auto-fit, minmax(200px, 1fr)); gap:0 1rem; }
    .grid.row2 { grid-template-columns: 1fr 1fr; }
    .grid.row3 { grid-template-columns: 1fr 1fr 1fr; }
    .grid.row4 { grid-template-columns: 7rem 1fr 1fr 1.4fr 8rem; }
    .grid.row5 { grid-template-columns: 1.4fr 1.2fr .9fr .9fr 1.2fr; }
    @media (max-width: 760px) { .grid.row2, .grid.row3, .grid.row4, .grid.row5 { grid-template-columns: 1fr; } }
    .reading-no { font-weight:600; padding-top:2rem; }
    .question { padding:.5rem 0; border-bottom:1px solid var(--line); }
    .q-label { font-weight:600; margin:.2rem 0; }
    .choices { display:flex; flex-wrap:wrap; gap:.3rem 1.2rem; }
    .choices label { display:flex; align-items:center; min-height:44px; }
    table.list { width:100%; border-collapse:collapse; background:#fff; border:1px solid var(--line); border-radius:10px; overflow:hidden; }
    table.list th, table.list td { text-align:left; padding:.55rem .7rem; border-bottom:1px solid var(--line); vertical-align:top; }
    table.list th { background:#eef2f6; font-size:.88rem; color:#34414f; }
    table.list.small { font-size:.86rem; }
    td.source { font-size:.85rem; color:var(--muted); }
    .badge { display:inline-block; padding:.12rem .55rem; border-radius:999px; background:#eef2f6; font-size:.85rem; font-weight:600; }
    .badge.ok { background:var(--okbg); color:var(--ok); }
    .badge.warn { background:var(--warnbg); color:var(--warn); }
    .badge.bad { background:var(--badbg); color:var(--bad); }
    .decision { font-size:1.5rem; font-weight:800; margin:.2rem 0; padding:.5rem .9rem; border-radius:10px; display:inline-block; }
    .decision.eligible { background:var(--okbg); color:var(--ok); }
    .decision.needsClearance, .decision.incomplete { background:var(--warnbg); color:var(--warn); }
    .decision.notEligible { background:var(--badbg); color:var(--bad); }
    .warn-text { color:var(--warn); font-weight:600; }
    .ok-text { color:var(--ok); font-weight:600; }
    .error-summary { border:2px solid var(--bad); background:var(--badbg); border-radius:10px; padding:.6rem 1rem; margin:0 0 1rem; }
    .error-summary h2 { color:var(--bad); font-size:1.05rem; }
    .warning-box { border:2px solid #e0b54a; background:var(--warnbg); border-radius:10px; padding:.6rem 1rem; margin:0 0 1rem; }
    .flash { background:var(--okbg); border:1px solid #9fd3b5; color:var(--ok); padding:.6rem 1rem; border-radius:10px; }
    dl.facts { display:grid; grid-template-columns: 11rem 1fr; gap:.3rem 1rem; margin:0; }
    dl.facts dt { color:var(--muted); }
    dl.facts dd { margin:0; }
    .search label { font-weight:600; display:block; margin-bottom:.3rem; }
    .search .row, .filters { display:flex; gap:.6rem; align-items:flex-end; flex-wrap:wrap; }
    .search .row input { flex:1; min-width:220px; width:auto; }
    .filters .grid { flex:1; }
    .filters .filter-actions { white-space:nowrap; padding-bottom:.9rem; }
    table.audit-log td.audit-who { overflow-wrap:break-word; min-width:13rem; }
    table.audit-log td.audit-resource { white-space:nowrap; }
    table.audit-log td.audit-detail { overflow-wrap:anywhere; min-width:8rem; }
    .pager { display:flex; gap:1rem; margin:1rem 0; }
    .empty { padding:1rem; background:#fff; border:1px dashed var(--line); border-radius:10px; }
    .clearance { border-top:1px solid var(--line); padding:.5rem 0; }
    .status-line { font-size:1.05rem; }
    ul.codes { columns:2; font-size:.9rem; }
    .sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
    details summary { cursor:pointer; color:var(--brand); min-height:32px; }
    table.board { border-collapse:collapse; background:#fff; font-size:.85rem; min-width:100%; }
    table.board th, table.board td { border:1px solid var(--line); padding:.15rem .4rem; height:1.6rem; white-space:nowrap; }
    table.board td.closed { background:#eef0f3; }
    table.board td.infusion { background:#d8e8f5; }
    table.board td.recovery { background:#e6f4ea; }
    table.board td.turnover { background:#f3f3f3; }
    .small { font-size:.85rem; }
    .week { display:grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap:.6rem; }
    ol.slots li { padding:.3rem 0; }
    .session-head { display:flex; justify-content:space-between; gap:1rem; flex-wrap:wrap; align-items:flex-start; }
    dl.gauges { display:flex; gap:.6rem; flex-wrap:wrap; margin:0; }
    dl.gauges div { background:#fff; border:1px solid var(--line); border-radius:10px; padding:.5rem .8rem; min-width:9rem; }
    dl.gauges dt { color:var(--muted); font-size:.8rem; }
    dl.gauges dd { margin:0; font-size:1.25rem; font-weight:700; }
    button.big { min-height:56px; font-size:1.1rem; padding:.6rem 1.4rem; }
    .emergency { border-color:#e7b4b4; background:#fff7f7; }
    ul.blocking li { color:var(--bad); }
    @media print { .noprint { display:none !important; } .printable { font-size:14pt; } }
    .urgent { border:2px solid var(--bad, #a32121); background:#fff5f5; }
    .urgent h2 { color:#a32121; }
    .chart svg { width:100%; height:auto; display:block; }
    ul.explain li { margin:.2rem 0; }
    ul.plain { list-style:none; padding:0; margin:0; }
    details.definitions { margin-top:.6rem; color:var(--muted); }
    .source { color:var(--muted); font-size:.8rem; }
    fieldset.instrument { background:#fff; border:1px solid var(--line); border-radius:10px; margin:0 0 1rem; padding:.6rem 1rem; }
    .choices.scale { gap:.3rem .5rem; }
    .choices.scale label { min-width:2.6rem; justify-content:center; border:1px solid var(--line); border-radius:8px; padding:0 .5rem; }
    main.phone { max-width:34rem; margin:0 auto; padding:1rem; }
    main.phone .choices label { min-height:48px; font-size:1.05rem; }
    main.phone button.wide { width:100%; min-height:52px; font-size:1.1rem; }
    .crisis { border:3px solid #a32121; background:#fff5f5; border-radius:12px; padding:1rem; margin-bottom:1rem; font-size:1.1rem; }
    .crisis h1 { color:#a32121; margin-top:0; }
    .qr svg { width:200px; height:200px; }
    .link-slip { max-width:34rem; }
    .link-slip .wrap { overflow-wrap:anywhere; word-break:break-all; }
    @media print { .link-slip, .summary-sheet { border:none; } .chart svg { max-height:9cm; } }
    th.num, td.num { text-align:right; font-variant-numeric: tabular-nums; }
    tr.adjustment td { background:#fffbea; }
    .superbill { background:#fff; border:1px solid var(--line); border-radius:10px; padding:1rem 1.2rem; }
    .superbill-head { display:flex; justify-content:space-between; gap:1rem; flex-wrap:wrap; border-bottom:2px solid var(--line); margin-bottom:.8rem; }
    .superbill-head h1 { margin:0; }
    .superbill .provider { text-align:right; }
    .superbill .signature { margin-top:2.5rem; }
    @media print { .superbill { border:none; padding:0; font-size:10.5pt; } .superbill table { font-size:9.5pt; } }
    .letter { background:#fff; border:1px solid var(--line); border-radius:10px; padding:1.2rem 1.6rem; max-width:48rem; }
    .letter-head { display:flex; justify-content:space-between; gap:1rem; flex-wrap:wrap; border-bottom:2px solid var(--line); padding-bottom:.6rem; margin-bottom:1rem; }
    .letter-body { white-space:pre-wrap; line-height:1.45; }
    .letter .signature { margin-top:2.5rem; }
    @media print { .letter { border:none; padding:0; max-width:none; font-size:11pt; } }
    .foot { text-align:center; color:var(--muted); font-size:.8rem; padding:2rem 1rem; }
    @media print { header.top, .actions, form, .foot { display:none; } body { background:#fff; } .card { border:none; } }
    td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
    .estimate table.list { margin:.6rem 0; }
    @media print { .estimate { font-size:11pt; } .estimate table.list, .estimate table.list th { background:#fff; } .estimate ul.explain { font-size:10pt; } }
    """
}
