#include "reports/html_page.hpp"

#include <cstdlib>

#include "reports/svg_writer.hpp"

namespace uibnas::reports {

namespace {

constexpr const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:1.6em;margin-bottom:4px}h2{border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:36px}h3{margin-bottom:4px}
p.note{color:#555;margin:4px 0}p.skip{color:#8a5a00;background:#fff6e0;padding:6px 10px;border-left:3px solid #e0a000}
code,pre{font-family:"DejaVu Sans Mono",monospace;font-size:0.9em}pre{background:#f6f6f6;padding:8px;overflow-x:auto;white-space:pre-wrap}
figure{margin:16px 0}figcaption{color:#444;font-size:0.92em;max-width:900px}
table.data{border-collapse:collapse;font-size:0.88em;margin:8px 0}table.data th,table.data td{border:1px solid #ddd;padding:3px 8px}
table.data th{background:#f0f0f0;cursor:pointer;text-align:left}table.data td{text-align:left;max-width:520px}table.data td.long{overflow-wrap:anywhere}
table.data td.num{text-align:right;white-space:nowrap}p.note{overflow-wrap:anywhere}
nav ul{columns:2}div.table-wrap{overflow-x:auto;max-width:100%}
svg.figure{font-family:inherit;background:#fff;border:1px solid #e4e4e4;max-width:100%;height:auto}
svg .grid{stroke:#eee;stroke-width:1}svg .axis{stroke:#444;stroke-width:1}svg .tick{stroke:#444}
svg .tick-label{font-size:11px;fill:#444}svg .axis-title{font-size:12px;fill:#222}
svg .point-label{font-size:11px;fill:#222}svg .leader{stroke:#999;stroke-width:0.7}
svg .legend-box{fill:#fff;fill-opacity:0.9;stroke:#ccc}svg .legend-label{font-size:11px;fill:#222}
svg .front{fill:none;stroke:#d62728;stroke-width:1.5;stroke-dasharray:5 3}
svg .family-mobilenetv4{fill:#d62728}svg .family-mobilenetv1{fill:#1f77b4}svg .family-mobilenetv2{fill:#2ca02c}
svg .family-mobilenetv3{fill:#9467bd}svg .family-efficientnet{fill:#ff7f0e}svg .family-other{fill:#7f7f7f}
svg .dominated{fill-opacity:0.45}svg .on-front{stroke:#000;stroke-width:1.2}
svg .kind-stem{fill:#8c564b}svg .kind-cn{fill:#1f77b4}svg .kind-er{fill:#2ca02c}svg .kind-uir{fill:#d62728}
svg .kind-mqa{fill:#9467bd}svg .kind-ds{fill:#17becf}svg .kind-dsa{fill:#bcbd22}svg .kind-ir{fill:#e377c2}svg .kind-head{fill:#ff7f0e}svg .kind-overhead{fill:#bbbbbb}
svg .negative{fill:#ffffff;fill-opacity:0.7;stroke:#444;stroke-dasharray:2 2}
svg .range{fill:#2ca02c;fill-opacity:0.8}svg .mark{stroke:#d62728;stroke-width:1.2;stroke-dasharray:4 2}
svg .mark-label{font-size:10px;fill:#d62728}svg .row-label{font-size:11px;fill:#222}
svg .cloud{stroke:#1f77b4;stroke-opacity:0.35;stroke-width:3;stroke-linecap:round;fill:none}
svg .cloud-infeasible{stroke:#999;stroke-opacity:0.35;stroke-width:3;stroke-linecap:round;fill:none}
svg .front-point{fill:#d62728}svg .variant{fill:#ffbf00;stroke:#000;stroke-width:1.2}
svg .band{fill:#2ca02c;fill-opacity:0.12}svg .diagonal{stroke:#2ca02c;stroke-width:1}
svg .measured-sampled{fill:#1f77b4}svg .measured-published{fill:#d62728}svg .hv{fill:none;stroke:#1f77b4;stroke-width:1.5}
svg .hv-point{fill:#1f77b4}
)";

// Sorting by a header click (numbers numerically), and the count of resources the page loaded
// (always 0: everything is inline) for anyone checking that it is self-contained.
constexpr const char* kScript = R"(//<![CDATA[
(function(){
  function key(cell){var t=cell.textContent.trim();var n=parseFloat(t);return isNaN(n)?t.toLowerCase():n;}
  document.querySelectorAll('table.data').forEach(function(table){
    table.querySelectorAll('th').forEach(function(th,col){
      th.addEventListener('click',function(){
        var body=table.tBodies[0];var rows=Array.prototype.slice.call(body.rows);
        var dir=th.getAttribute('data-dir')==='asc'?-1:1;th.setAttribute('data-dir',dir===1?'asc':'desc');
        rows.sort(function(a,b){var x=key(a.cells[col]),y=key(b.cells[col]);return x===y?0:(x>y?dir:-dir);});
        rows.forEach(function(r){body.appendChild(r);});
      });
    });
    table.setAttribute('data-sortable','ready');
  });
  document.body.setAttribute('data-loaded-resources',String(performance.getEntriesByType('resource').length));
})();
//]]>)";

bool is_number(const std::string& cell) {
  if (cell.empty()) return false;
  char* end = nullptr;
  std::strtod(cell.c_str(), &end);
  return end == cell.c_str() + cell.size();
}

std::string section_html(const Section& s, const std::string& csv_folder) {
  std::string out = "<section id=\"" + xml_escape(s.id) + "\">\n<h2>" + xml_escape(s.title) + "</h2>\n";
  for (const auto& n : s.notes) out += "<p class=\"note\">" + xml_escape(n) + "</p>\n";
  for (const auto& n : s.skipped) out += "<p class=\"skip\">Skipped: " + xml_escape(n) + "</p>\n";
  for (const auto& f : s.figures) {
    out += "<figure id=\"figure-" + xml_escape(f.id) + "\" data-csv=\"" + xml_escape(f.id) + ".csv\">\n<h3>" +
           xml_escape(f.title) + "</h3>\n" + f.svg + "\n<figcaption>" + xml_escape(f.caption) + " Data: <a href=\"" +
           xml_escape(csv_folder + "/" + f.id + ".csv") + "\">" + xml_escape(f.id) + ".csv</a> (" +
           std::to_string(f.data.rows.size()) + " rows).</figcaption>\n</figure>\n";
  }
  for (const auto& t : s.tables) {
    out += "<h3>" + xml_escape(t.title) + "</h3>\n" + html_table(t.data, t.id) + "<p class=\"note\">Data: <a href=\"" +
           xml_escape(csv_folder + "/" + t.id + ".csv") + "\">" + xml_escape(t.id) + ".csv</a></p>\n";
  }
  return out + "</section>\n";
}

}  // namespace

std::string html_table(const CsvTable& table, const std::string& id) {
  std::string out = "<div class=\"table-wrap\"><table class=\"data\" id=\"table-" + xml_escape(id) + "\"><thead><tr>";
  for (const auto& h : table.header) out += "<th>" + xml_escape(h) + "</th>";
  out += "</tr></thead><tbody>";
  for (const auto& row : table.rows) {
    out += "<tr>";
    for (const auto& c : row)
      out += (is_number(c) ? "<td class=\"num\">" : c.size() > 40 ? "<td class=\"long\">" : "<td>") + xml_escape(c) + "</td>";
    out += "</tr>";
  }
  return out + "</tbody></table></div>\n";
}

std::string html_page(const PageHeader& header, const std::vector<Section>& sections, const std::string& csv_folder) {
  std::string out =
      "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
      "script-src 'unsafe-inline'; img-src data:\"/>\n<meta name=\"viewport\" content=\"width=device-width\"/>\n<title>" +
      xml_escape(header.title) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" +
      xml_escape(header.title) + "</h1>\n<p class=\"note\">Made by <code>" + xml_escape(header.generated_by) +
      "</code>. Every figure's data is a CSV file in <code>" + xml_escape(csv_folder) + "/</code>.</p>\n";
  out += "<p class=\"note\">Inputs:</p>\n<ul>\n";
  for (const auto& i : header.inputs) out += "<li><code>" + xml_escape(i) + "</code></li>\n";
  out += "</ul>\n<nav><ul>\n";
  for (const auto& s : sections) out += "<li><a href=\"#" + xml_escape(s.id) + "\">" + xml_escape(s.title) + "</a></li>\n";
  out += "</ul></nav>\n";
  for (const auto& s : sections) out += section_html(s, csv_folder);
  out += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return out;
}

}  // namespace uibnas::reports
