#include "reports/svg_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace uibnas::reports {

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_number(double v) {
  if (!std::isfinite(v)) return "0";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

namespace {

std::string tooltip_element(const std::string& tooltip) {
  return tooltip.empty() ? std::string() : "<title>" + xml_escape(tooltip) + "</title>";
}

// A shape with an optional tooltip: self-closed without one.
std::string shape(const std::string& name, const std::string& attributes, const std::string& tooltip) {
  if (tooltip.empty()) return "<" + name + attributes + "/>";
  return "<" + name + attributes + ">" + tooltip_element(tooltip) + "</" + name + ">";
}

}  // namespace

SvgWriter::SvgWriter(double width, double height, const std::string& id, const std::string& title)
    : width_(width), height_(height), id_(id), title_(title) {}

void SvgWriter::line(double x1, double y1, double x2, double y2, const std::string& css_class) {
  body_ += "<line x1=\"" + svg_number(x1) + "\" y1=\"" + svg_number(y1) + "\" x2=\"" + svg_number(x2) + "\" y2=\"" +
           svg_number(y2) + "\" class=\"" + css_class + "\"/>";
}

void SvgWriter::rect(double x, double y, double w, double h, const std::string& css_class, const std::string& tooltip) {
  body_ += shape("rect",
                 " x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" width=\"" + svg_number(std::max(w, 0.0)) +
                     "\" height=\"" + svg_number(std::max(h, 0.0)) + "\" class=\"" + css_class + "\"",
                 tooltip);
}

void SvgWriter::circle(double cx, double cy, double r, const std::string& css_class, const std::string& tooltip) {
  body_ += shape("circle",
                 " cx=\"" + svg_number(cx) + "\" cy=\"" + svg_number(cy) + "\" r=\"" + svg_number(r) + "\" class=\"" +
                     css_class + "\"",
                 tooltip);
}

void SvgWriter::text(double x, double y, const std::string& content, const std::string& css_class,
                     const std::string& anchor, double rotate) {
  std::string a = " x=\"" + svg_number(x) + "\" y=\"" + svg_number(y) + "\" class=\"" + css_class + "\"";
  if (anchor != "start") a += " text-anchor=\"" + anchor + "\"";
  if (rotate != 0) a += " transform=\"rotate(" + svg_number(rotate) + " " + svg_number(x) + " " + svg_number(y) + ")\"";
  body_ += "<text" + a + ">" + xml_escape(content) + "</text>";
}

void SvgWriter::path(const std::string& d, const std::string& css_class, const std::string& tooltip) {
  body_ += shape("path", " d=\"" + d + "\" class=\"" + css_class + "\"", tooltip);
}

void SvgWriter::begin_group(const std::string& css_class) { body_ += "<g class=\"" + css_class + "\">"; }

void SvgWriter::end_group() { body_ += "</g>"; }

std::string SvgWriter::str() const {
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" + xml_escape(id_) + "\" class=\"figure\" width=\"" +
         svg_number(width_) + "\" height=\"" + svg_number(height_) + "\" viewBox=\"0 0 " + svg_number(width_) + " " +
         svg_number(height_) + "\" role=\"img\" data-points=\"" + std::to_string(points_) + "\"><title>" +
         xml_escape(title_) + "</title>" + body_ + "</svg>";
}

}  // namespace uibnas::reports
