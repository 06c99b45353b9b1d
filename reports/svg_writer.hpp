// A small writer of inline SVG: shapes, text and groups, styled by CSS classes of the page, every
// number printed compactly so that a figure of thousands of points stays small.
#pragma once
#include <string>

namespace uibnas::reports {

// Escapes &, <, >, " and ' for XML text and attribute values.
std::string xml_escape(const std::string& text);

// At most two decimals, trailing zeros dropped ("12.5", "3", "-0.25").
std::string svg_number(double v);

class SvgWriter {
 public:
  SvgWriter(double width, double height, const std::string& id, const std::string& title);

  // The number of data points the figure draws: its data-points attribute, which a reader (and the
  // browser test) compares with the rows of the figure's CSV.
  void set_data_points(int points) { points_ = points; }
  double width() const { return width_; }
  double height() const { return height_; }

  void line(double x1, double y1, double x2, double y2, const std::string& css_class);
  void rect(double x, double y, double w, double h, const std::string& css_class, const std::string& tooltip = "");
  void circle(double cx, double cy, double r, const std::string& css_class, const std::string& tooltip = "");
  // anchor: start, middle or end; rotate: degrees about (x, y).
  void text(double x, double y, const std::string& content, const std::string& css_class,
            const std::string& anchor = "start", double rotate = 0);
  void path(const std::string& d, const std::string& css_class, const std::string& tooltip = "");
  void begin_group(const std::string& css_class);
  void end_group();

  std::string str() const;

 private:
  double width_, height_;
  std::string id_, title_;
  int points_ = 0;
  std::string body_;
};

}  // namespace uibnas::reports
