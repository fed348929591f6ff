/// The report's Mustache templates (swift-mustache: `{{…}}` escapes &, <, >, " and ' — every
/// string from a config, an import or a database goes through it). `{{{…}}}` is used only for
/// HTML the report builds itself: rendered sections and SVG charts, whose text is escaped there.
/// Kept in the binary, so a copied executable writes reports without its resource folder.
enum HTMLTemplates {
    static let page = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}}</title>
    <style>
    {{{css}}}
    </style>
    </head>
    <body>
    <header>
    <h1>{{title}}</h1>
    {{#banners}}<p class="banner" role="alert">{{.}}</p>
    {{/banners}}{{#subtitle}}<p class="subtitle">{{.}}</p>
    {{/subtitle}}{{#description}}<p class="description">{{.}}</p>
    {{/description}}</header>
    {{#hasContents}}<nav aria-label="Contents"><ol>{{#sections}}<li><a href="#{{id}}">{{heading}}</a></li>{{/sections}}</ol></nav>
    {{/hasContents}}<main>
    {{#sections}}{{{html}}}
    {{/sections}}</main>
    {{#footer}}<footer><p>{{.}}</p></footer>
    {{/footer}}</body>
    </html>

    """

    static let section = """
    <section id="{{id}}">
    <h2>{{heading}}</h2>
    {{#paragraphs}}<p>{{.}}</p>
    {{/paragraphs}}{{#hasFields}}<dl class="fields">
    {{#fields}}<dt>{{label}}</dt><dd>{{value}}</dd>
    {{/fields}}</dl>
    {{/hasFields}}{{#tables}}{{#title}}<h3>{{.}}</h3>
    {{/title}}{{#hasRows}}<div class="table-wrap"><table>
    <thead><tr>{{#headers}}<th scope="col" class="{{align}}">{{text}}</th>{{/headers}}</tr></thead>
    <tbody>
    {{#rows}}<tr>{{#cells}}<td class="{{align}}">{{text}}</td>{{/cells}}</tr>
    {{/rows}}</tbody>
    </table></div>
    {{/hasRows}}{{#empty}}<p class="note">{{.}}</p>
    {{/empty}}{{/tables}}{{#figures}}{{{.}}}
    {{/figures}}{{#blocks}}<details{{#open}} open{{/open}}><summary>{{summary}}</summary><pre>{{text}}</pre></details>
    {{/blocks}}{{#notes}}<p class="note">{{.}}</p>
    {{/notes}}</section>
    """

    static let figure = """
    <figure id="{{id}}">
    {{{svg}}}
    <figcaption>{{caption}}</figcaption>
    <details class="numbers"><summary>The numbers: {{count}} rows</summary>
    <p><a download="{{file}}" href="{{uri}}">Download as CSV</a> (columns as <code>{{command}}</code> writes them)</p>
    <div class="table-wrap"><table class="data">
    <thead><tr>{{#headers}}<th scope="col">{{.}}</th>{{/headers}}</tr></thead>
    <tbody>
    {{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
    {{/rows}}</tbody>
    </table></div>
    </details>
    </figure>
    """

    static let css = """
    :root { color-scheme: light; }
    body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
      background: #ffffff; margin: 0 auto; padding: 1rem; max-width: 60rem; line-height: 1.5; overflow-wrap: break-word; }
    main, section, figure { min-width: 0; }
    h1 { font-size: 1.6rem; margin-bottom: 0.25rem; }
    h2 { font-size: 1.25rem; border-bottom: 1px solid #c8c8c8; padding-bottom: 0.2rem; margin-top: 2rem; }
    h3 { font-size: 1.05rem; }
    .subtitle { color: #404040; margin-top: 0; }
    .banner { background: #fff3cd; border: 2px solid #8a6d00; color: #3d3000; padding: 0.6rem 0.8rem; font-weight: 600; }
    nav ol { columns: 2; padding-left: 1.4rem; }
    a { color: #0050a0; }
    dl.fields { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 1rem; }
    dl.fields dt { font-weight: 600; }
    dl.fields dd { margin: 0; overflow-wrap: anywhere; }
    .table-wrap { overflow-x: auto; max-width: 100%; }
    table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-variant-numeric: tabular-nums; }
    th, td { border-bottom: 1px solid #d0d0d0; padding: 0.2rem 0.6rem; text-align: left; vertical-align: top; overflow-wrap: normal; }
    /* Text from configs and imports cannot reorder what follows it. */
    td, dd, pre, .description, h1, figcaption { unicode-bidi: isolate; }
    .subtitle, footer p { overflow-wrap: anywhere; }
    th { background: #f0f0f0; }
    .num { text-align: right; }
    table.data { font-size: 0.85rem; }
    figure { margin: 1rem 0 2rem; }
    figcaption { color: #333333; font-size: 0.95rem; }
    svg.chart { width: 100%; height: auto; max-width: 720px; display: block; font-size: 12px; }
    svg.chart text { fill: #1a1a1a; font-family: inherit; }
    svg.chart .grid line { stroke: #e3e3e3; }
    svg.chart .axis line { stroke: #4d4d4d; }
    svg.chart .axis-title { font-weight: 600; }
    svg.chart .reference line { stroke: #4d4d4d; stroke-dasharray: 3 3; }
    svg.chart .censored line { stroke-width: 1.5; }
    pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85rem; }
    .note { color: #333333; font-size: 0.95rem; }
    details { margin: 0.4rem 0; }
    footer { margin-top: 2rem; color: #404040; font-size: 0.85rem; }
    @media print {
      body { max-width: none; padding: 0; }
      nav, details.numbers { display: none; }
      figure, svg.chart, tr, dl.fields { break-inside: avoid; page-break-inside: avoid; }
      h2, h3 { break-after: avoid; page-break-after: avoid; }
      .table-wrap { overflow: visible; }
      a { color: #1a1a1a; text-decoration: none; }
    }
    """
}
