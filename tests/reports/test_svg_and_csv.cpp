// The SVG writer's escaping and numbers, and CSV writing and reading.
#include <catch2/catch.hpp>

#include "common/error.hpp"
#include "reports/csv_table.hpp"
#include "reports/options_text.hpp"
#include "reports/svg_writer.hpp"

using namespace uibnas::reports;

TEST_CASE("SVG text and attributes are escaped, numbers compact", "[reports]") {
  CHECK(xml_escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;");
  CHECK(svg_number(12.5) == "12.5");
  CHECK(svg_number(3.0) == "3");
  CHECK(svg_number(-0.001) == "0");
  CHECK(svg_number(1.23456) == "1.23");
  SvgWriter svg(100, 50, "f", "a <title>");
  svg.circle(10, 20, 3, "dot", "x & y");
  svg.text(5, 5, "<label>", "t", "middle");
  svg.set_data_points(1);
  CHECK(svg.str() ==
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"f\" class=\"figure\" width=\"100\" height=\"50\" "
        "viewBox=\"0 0 100 50\" role=\"img\" data-points=\"1\"><title>a &lt;title&gt;</title>"
        "<circle cx=\"10\" cy=\"20\" r=\"3\" class=\"dot\"><title>x &amp; y</title></circle>"
        "<text x=\"5\" y=\"5\" class=\"t\" text-anchor=\"middle\">&lt;label&gt;</text></svg>");
}

TEST_CASE("CSV quotes what needs it and reads back what it wrote", "[reports]") {
  CsvTable t;
  t.header = {"name", "note"};
  t.rows = {{"a", "plain"}, {"b,c", "say \"hi\""}, {"d", "two\nlines"}};
  CHECK(t.text() == "name,note\na,plain\n\"b,c\",\"say \"\"hi\"\"\"\nd,\"two\nlines\"\n");
  const CsvTable back = parse_csv(t.text(), "t.csv");
  CHECK(back.header == t.header);
  CHECK(back.rows == t.rows);
  CHECK(back.column("note") == 1);
  CHECK(back.column("missing") == -1);
  CHECK(csv_number(0.1 + 0.2) == "0.3");
  CHECK(csv_number(std::nan("")) == "");
}

TEST_CASE("a CSV row with another number of fields than the header is an input error", "[reports]") {
  CHECK_THROWS_AS(parse_csv("a,b\n1,2\n3\n", "x.csv"), uibnas::common::InputError);
  CHECK_THROWS_WITH(parse_csv("a,b\n1,2\n3\n", "x.csv"), Catch::Contains("x.csv: row 3 has 1 fields"));
  CHECK_THROWS_AS(parse_csv("", "empty.csv"), uibnas::common::InputError);
}

TEST_CASE("a CSV file is read only when it is a regular file", "[reports]") {
  CHECK_THROWS_WITH(read_csv_file("/dev/zero"), Catch::Contains("/dev/zero: not a regular file"));
  CHECK_THROWS_WITH(read_csv_file("/"), Catch::Contains("not a regular file (it is a directory)"));
}

TEST_CASE("recorded options read as key=value pairs", "[reports]") {
  const nlohmann::json options = {{"budget", 600}, {"objectives", {"latency", "macs:max"}}, {"proxy", {{"seed", 0}}},
                                  {"space", "conv-s"}};
  CHECK(options_text(options) == "budget=600, objectives=latency macs:max, proxy={seed=0}, space=conv-s");
}
