/// The page every report shares: one file, its style and its few lines of script inline, and a
/// Content-Security-Policy that lets the browser fetch nothing at all.
enum Page {
  /// The policy: nothing from anywhere; only the page's own inline style and script.
  static let policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

  /// A whole document around `body`; `title` is already escaped. `script: false` leaves out the
  /// script (a page with no traces to expand).
  static func document(title: String, body: String, script withScript: Bool = true) -> String {
    """
    <!DOCTYPE html>
    <html lang="zh-Hans">
    <head>
    <meta charset="utf-8">
    <meta http-equiv="Content-Security-Policy" content="\(policy)">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="referrer" content="no-referrer">
    <title>\(title)</title>
    <style>
    \(css)</style>
    </head>
    <body>
    \(body)\(withScript ? "<script>\n\(script)</script>\n" : "")</body>
    </html>

    """
  }

  /// Expanding and collapsing every trace at once; nothing else runs.
  static let script = """
    document.addEventListener("click", function (e) {
      var b = e.target.closest ? e.target.closest("button[data-traces]") : null;
      if (!b) return;
      var open = b.getAttribute("data-traces") === "open";
      document.querySelectorAll("details.trace, details.trace details").forEach(function (d) { d.open = open; });
    });

    """

  static let css = """
    :root {
      --ink: #1f2328; --muted: #59636e; --rule: #d1d9e0; --bg-soft: #f6f8fa;
      --block: #b42318; --block-bg: #fde8e7; --review: #b54708; --review-bg: #fef0e0;
      --warning: #8a6a00; --warning-bg: #fff6d6; --info: #175cd3; --info-bg: #e7f0fd;
      --pass: #1a7f37; --pass-bg: #e6f4ea;
      --sans: "Noto Sans", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC",
        "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK TC", "Noto Sans CJK JP", system-ui, sans-serif;
      --mono: "Noto Sans Mono", "Noto Sans Mono CJK SC", "DejaVu Sans Mono", ui-monospace, "SFMono-Regular",
        Menlo, Consolas, monospace;
    }
    * { box-sizing: border-box; }
    html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    body { margin: 0 auto; max-width: 1100px; padding: 24px 28px 48px; color: var(--ink);
      font: 14px/1.55 var(--sans); background: #fff; }
    h1 { font-size: 22px; margin: 0 0 4px; }
    h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
    h3 { font-size: 15px; margin: 18px 0 6px; }
    code, .mono { font-family: var(--mono); font-size: 12.5px; }
    a { color: inherit; }
    table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; table-layout: auto; }
    th, td { border: 1px solid var(--rule); padding: 5px 8px; text-align: left; vertical-align: top;
      overflow-wrap: anywhere; }
    th { background: var(--bg-soft); font-weight: 600; }
    .muted { color: var(--muted); }
    .nowrap { white-space: nowrap; }
    h2 code { font-size: inherit; }
    code.digest { font-size: 11px; word-break: break-all; }
    .ctl { font-family: var(--mono); background: #ffe8a3; border: 1px dashed #b08800; padding: 0 2px; }
    .badge { display: inline-block; min-width: 64px; text-align: center; padding: 1px 8px; border-radius: 10px;
      font-weight: 700; font-size: 12px; letter-spacing: .04em; border: 1px solid transparent; }
    .badge.block { color: var(--block); background: var(--block-bg); border-color: var(--block); }
    .badge.review { color: var(--review); background: var(--review-bg); border-color: var(--review); }
    .badge.warning { color: var(--warning); background: var(--warning-bg); border-color: var(--warning); }
    .badge.info { color: var(--info); background: var(--info-bg); border-color: var(--info); }
    .badge.pass { color: var(--pass); background: var(--pass-bg); border-color: var(--pass); }
    .status-unknown { font-size: 11px; font-weight: 700; text-transform: uppercase; color: var(--review);
      border: 1px dashed var(--review); border-radius: 10px; padding: 0 6px; }
    .status-violated { font-size: 11px; font-weight: 700; text-transform: uppercase; color: var(--block);
      border: 1px solid var(--block); border-radius: 10px; padding: 0 6px; }
    .notice { border-left: 4px solid var(--info); background: var(--info-bg); padding: 6px 10px; margin: 6px 0; }
    header.report { border-bottom: 3px solid var(--ink); padding-bottom: 12px; }
    .verdict { display: flex; align-items: center; gap: 14px; margin: 12px 0; font-size: 16px; }
    .verdict .badge { font-size: 18px; padding: 4px 18px; border-radius: 14px; }
    dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 6px 0; }
    dl.facts dt { color: var(--muted); }
    dl.facts dd { margin: 0; overflow-wrap: anywhere; }
    .toolbar { margin: 10px 0 0; }
    form.filters { margin: 10px 0 0; }
    form.filters select, form.filters button { font: inherit; font-size: 13px; margin-right: 6px; }
    .toolbar button { font: inherit; font-size: 12px; padding: 2px 10px; margin-right: 6px; cursor: pointer; }
    .copy { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 15px; }
    mark { background: #ffd3cf; color: #7a0d05; border-bottom: 2px solid var(--block); padding: 0 1px; }
    mark.found { background: #e3ecf7; color: inherit; border-bottom: 2px solid var(--info); }
    .negated { text-decoration: line-through dotted var(--muted); background: #eef1f4; color: var(--muted); }
    .legend { font-size: 12px; color: var(--muted); }
    .legend mark, .legend .negated { font-size: 12px; }
    article.finding { border: 1px solid var(--rule); border-left: 5px solid var(--rule); border-radius: 4px;
      padding: 8px 12px; margin: 10px 0; break-inside: avoid; }
    article.finding.block { border-left-color: var(--block); }
    article.finding.review { border-left-color: var(--review); }
    article.finding.warning { border-left-color: var(--warning); }
    article.finding.info { border-left-color: var(--info); }
    .finding h4 { margin: 0 0 4px; font-size: 14.5px; display: flex; gap: 10px; align-items: baseline; flex-wrap: wrap; }
    .finding h4 code { font-size: 13.5px; }
    .finding .message { font-size: 14.5px; margin: 4px 0; }
    .finding .cond { margin: 2px 0; }
    .finding .cond code { white-space: pre-wrap; }
    .meta { font-size: 12.5px; color: var(--muted); }
    .rates { display: flex; gap: 18px; align-items: flex-start; flex-wrap: wrap; margin: 6px 0; }
    .rates svg { flex: none; }
    ol.schedule { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 1px 28px;
      list-style: none; font-size: 12px; margin: 4px 0 10px; padding: 0; max-width: 920px; }
    ol.schedule li { display: flex; justify-content: space-between; border-bottom: 1px dotted var(--rule); }
    ol.schedule .num { font-family: var(--mono); }
    details.trace { margin: 6px 0 2px; }
    details.trace > summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
    ul.tree { list-style: none; margin: 2px 0 2px 0; padding-left: 16px; border-left: 1px dotted var(--rule); }
    ul.tree li { margin: 1px 0; }
    ul.tree summary { cursor: pointer; }
    .v-true { color: var(--pass); font-weight: 600; }
    .v-false { color: var(--block); font-weight: 600; }
    .v-none { color: var(--muted); font-style: italic; }
    .compact li { margin: 2px 0; }
    div.rule { margin: 0 0 8px; }
    div.rule:last-child { margin-bottom: 0; }
    details.passing > summary { cursor: pointer; color: var(--muted); font-size: 12.5px; }
    .compact { columns: 1; padding-left: 18px; }
    ul.passed { columns: 3; padding-left: 18px; font-family: var(--mono); font-size: 12.5px; }
    footer { margin-top: 36px; font-size: 12px; color: var(--muted); border-top: 1px solid var(--rule); padding-top: 8px; }
    .bar-pass { fill: var(--pass); } .bar-fail { fill: var(--block); } .bar-disclosed { fill: #4a6fa5; }
    table.rate-table { width: auto; font-size: 12.5px; margin: 0; }
    @page { size: A4; margin: 14mm 12mm 16mm; }
    @media print {
      body { max-width: none; padding: 0; font-size: 10.5pt; }
      .toolbar { display: none; }
      section.rulebook { break-before: page; }
      h2, h3, h4 { break-after: avoid; }
      tr, article.finding, .rates, figure { break-inside: avoid; }
      thead { display: table-header-group; }
      ul.passed { columns: 2; }
      a { text-decoration: none; }
    }

    """
}
