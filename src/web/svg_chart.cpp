#include "web/svg_chart.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "web/template_engine.hpp"

namespace pratu::web {

namespace {

// The drawing's own units; the SVG scales to the width of its container.
constexpr double kWidth = 640;
constexpr double kMargin = 8;
constexpr double kLegendHeight = 28;
constexpr std::string_view kBackground = "#ffffff";
constexpr std::string_view kInk = "#0b0c0c";   // text: 19.8:1 on white
constexpr std::string_view kAxis = "#505a5f";  // 7:1
// The series: a solid fill (8.1:1), then a hatch outlined in its colour (5.9:1).
constexpr std::string_view kSolid = "#1d4f91";
constexpr std::string_view kHatch = "#a34a00";

// A coordinate or size, at most one decimal, never in the program's locale.
std::string number(double value) {
  char buffer[32];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 1);
  std::string out(buffer, ec == std::errc() ? end : buffer);
  if (out.size() > 2 && out.ends_with(".0")) out.resize(out.size() - 2);
  if (out == "-0") out = "0";
  return out;
}

// An SVG being written: elements with escaped attribute values and text.
class Svg {
 public:
  // Opens `<name`; attributes follow, then close_tag() or end_empty().
  Svg& open(std::string_view name) {
    out_ += '<';
    out_ += name;
    return *this;
  }
  Svg& attr(std::string_view name, std::string_view value) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_html_escaped(value, out_);
    out_ += '"';
    return *this;
  }
  Svg& attr(std::string_view name, double value) { return attr(name, number(value)); }
  Svg& close_tag() {
    out_ += '>';
    return *this;
  }
  Svg& end_empty() {
    out_ += "/>";
    return *this;
  }
  Svg& text(std::string_view text) {
    append_html_escaped(text, out_);
    return *this;
  }
  Svg& end(std::string_view name) {
    out_ += "</";
    out_ += name;
    out_ += '>';
    return *this;
  }
  Svg& raw(std::string_view markup) {
    out_ += markup;
    return *this;
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Opens the <svg> with its accessible name and description, the hatch for a second series and
// the white background.
void begin(Svg& svg, const ChartData& chart, double height, bool empty) {
  svg.open("svg")
      .attr("xmlns", "http://www.w3.org/2000/svg")
      .attr("class", "chart")
      .attr("role", "img")
      .attr("aria-labelledby", chart.id + "-title")
      .attr("viewBox", "0 0 " + number(kWidth) + " " + number(height))
      .attr("width", "100%")
      .attr("data-chart", chart.id);
  if (!chart.description.empty()) svg.attr("aria-describedby", chart.id + "-desc");
  if (empty) svg.attr("data-chart-empty", "true");
  svg.close_tag();
  svg.open("title").attr("id", chart.id + "-title").close_tag().text(chart.title).end("title");
  if (!chart.description.empty()) {
    svg.open("desc").attr("id", chart.id + "-desc").close_tag().text(chart.description).end("desc");
  }
  if (chart.series.size() > 1) {
    svg.raw("<defs>")
        .open("pattern")
        .attr("id", chart.id + "-hatch")
        .attr("patternUnits", "userSpaceOnUse")
        .attr("width", 6.0)
        .attr("height", 6.0)
        .attr("patternTransform", "rotate(45)")
        .close_tag();
    svg.open("rect").attr("width", 6.0).attr("height", 6.0).attr("fill", kBackground).end_empty();
    svg.open("line")
        .attr("x1", 0.0)
        .attr("y1", 0.0)
        .attr("x2", 0.0)
        .attr("y2", 6.0)
        .attr("stroke", kHatch)
        .attr("stroke-width", 3.0)
        .end_empty();
    svg.end("pattern").raw("</defs>");
  }
  svg.open("rect")
      .attr("width", kWidth)
      .attr("height", height)
      .attr("fill", kBackground)
      .end_empty();
}

// The fill (and outline) of series `index`: solid, or hatched and outlined.
void series_style(Svg& svg, const ChartData& chart, std::size_t index) {
  if (index % 2 == 0) {
    svg.attr("fill", kSolid);
  } else {
    svg.attr("fill", "url(#" + chart.id + "-hatch)")
        .attr("stroke", kHatch)
        .attr("stroke-width", 1.5);
  }
}

void text_at(Svg& svg, double x, double y, double size, std::string_view anchor,
             std::string_view text) {
  svg.open("text").attr("x", x).attr("y", y).attr("font-size", size).attr("fill", kInk);
  if (anchor != "start") svg.attr("text-anchor", anchor);
  svg.close_tag().text(text).end("text");
}

// The series' swatches and names, on one line at `top`.
void legend(Svg& svg, const ChartData& chart, double top) {
  if (chart.series.size() < 2) return;
  const double step = (kWidth - 2 * kMargin) / static_cast<double>(chart.series.size());
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const double x = kMargin + step * static_cast<double>(i);
    svg.open("rect").attr("x", x).attr("y", top).attr("width", 14.0).attr("height", 14.0);
    series_style(svg, chart, i);
    svg.end_empty();
    text_at(svg, x + 20, top + 12, 13, "start", chart.series[i]);
  }
}

// A bar with its own tooltip naming the series and the value.
void bar(Svg& svg, const ChartData& chart, std::size_t series, double x, double y, double width,
         double height, std::string_view shown) {
  svg.open("rect")
      .attr("class", "chart__bar")
      .attr("x", x)
      .attr("y", y)
      .attr("width", width)
      .attr("height", height);
  series_style(svg, chart, series);
  svg.close_tag().open("title").close_tag();
  if (chart.series.size() > series && !chart.series[series].empty()) {
    svg.text(chart.series[series]).text(": ");
  }
  svg.text(shown).end("title").end("rect");
}

// Whether any group has a value (zero included) to draw.
bool has_values(const ChartData& chart) {
  return std::any_of(chart.groups.begin(), chart.groups.end(), [](const ChartGroup& group) {
    return std::any_of(group.values.begin(), group.values.end(),
                       [](const auto& value) { return value.has_value(); });
  });
}

// What the longest bar stands for: the largest value, or 1 when none is above zero (every bar
// is then empty, its value still written beside it).
double scale(const ChartData& chart) {
  double most = 0;
  for (const auto& group : chart.groups) {
    for (const auto& value : group.values) {
      if (value && *value > most) most = *value;
    }
  }
  return most > 0 ? most : 1;
}

std::string value_text(const ChartGroup& group, std::size_t series) {
  return series < group.value_texts.size() ? group.value_texts[series] : std::string();
}

std::string no_data(const ChartData& chart) {
  constexpr double kHeight = 60;
  Svg svg;
  begin(svg, chart, kHeight, true);
  text_at(svg, kWidth / 2, kHeight / 2 + 5, 15, "middle", chart.no_data);
  svg.end("svg");
  return svg.take();
}

}  // namespace

std::string bar_chart(const ChartData& chart) {
  if (!has_values(chart)) return no_data(chart);
  const double most = scale(chart);
  constexpr double kLabelHeight = 22, kBarHeight = 18, kBarGap = 4, kGroupGap = 14;
  constexpr double kValueRoom = 170;  // the value's text after the longest bar
  const double plot_width = kWidth - 2 * kMargin - kValueRoom;
  const std::size_t series = std::max<std::size_t>(chart.series.size(), 1);
  const double bars = static_cast<double>(series) * (kBarHeight + kBarGap) - kBarGap;
  const double group_height = kLabelHeight + bars + kGroupGap;
  const double legend_height = chart.series.size() > 1 ? kLegendHeight : 0;
  const double top = kMargin + legend_height;
  const double height = top + group_height * static_cast<double>(chart.groups.size()) + kMargin;

  Svg svg;
  begin(svg, chart, height, false);
  legend(svg, chart, kMargin);
  double y = top;
  for (const auto& group : chart.groups) {
    text_at(svg, kMargin, y + 15, 14, "start", group.label);
    const double bars_top = y + kLabelHeight;
    svg.open("line")
        .attr("x1", kMargin)
        .attr("y1", bars_top)
        .attr("x2", kMargin)
        .attr("y2", bars_top + bars)
        .attr("stroke", kAxis)
        .end_empty();
    for (std::size_t s = 0; s < series; ++s) {
      const double bar_y = bars_top + static_cast<double>(s) * (kBarHeight + kBarGap);
      const auto value = s < group.values.size() ? group.values[s] : std::nullopt;
      const double width = value && *value > 0 ? *value / most * plot_width : 0;
      std::string label = value_text(group, s);
      if (chart.series.size() > 1) label += " (" + chart.series[s] + ")";
      if (value) bar(svg, chart, s, kMargin, bar_y, width, kBarHeight, value_text(group, s));
      text_at(svg, kMargin + width + 6, bar_y + 14, 13, "start", label);
    }
    y += group_height;
  }
  svg.end("svg");
  return svg.take();
}

std::string column_chart(const ChartData& chart) {
  if (!has_values(chart)) return no_data(chart);
  const double most = scale(chart);
  constexpr double kValueRoom = 18, kPlotHeight = 180, kLabelRoom = 22;
  const std::size_t series = std::max<std::size_t>(chart.series.size(), 1);
  const double legend_height = chart.series.size() > 1 ? kLegendHeight : 0;
  const double plot_top = kMargin + legend_height + kValueRoom;
  const double plot_bottom = plot_top + kPlotHeight;
  const double height = plot_bottom + kLabelRoom + kMargin;
  const double slot = (kWidth - 2 * kMargin) / static_cast<double>(chart.groups.size());
  const double column = slot * 0.7 / static_cast<double>(series);
  const double font = std::min(12.0, std::max(8.0, slot * 0.5));

  Svg svg;
  begin(svg, chart, height, false);
  legend(svg, chart, kMargin);
  for (std::size_t g = 0; g < chart.groups.size(); ++g) {
    const auto& group = chart.groups[g];
    const double slot_x = kMargin + slot * static_cast<double>(g);
    for (std::size_t s = 0; s < series; ++s) {
      const auto value = s < group.values.size() ? group.values[s] : std::nullopt;
      const double x = slot_x + slot * 0.15 + column * static_cast<double>(s);
      const double h = value && *value > 0 ? *value / most * kPlotHeight : 0;
      if (value) bar(svg, chart, s, x, plot_bottom - h, column, h, value_text(group, s));
      const std::string label = value_text(group, s);
      if (chart.value_labels && !label.empty()) {
        text_at(svg, x + column / 2, plot_bottom - h - 4, font, "middle", label);
      }
    }
    if (!group.label.empty()) {
      text_at(svg, slot_x + slot / 2, plot_bottom + 15, font, "middle", group.label);
    }
  }
  svg.open("line")
      .attr("x1", kMargin)
      .attr("y1", plot_bottom)
      .attr("x2", kWidth - kMargin)
      .attr("y2", plot_bottom)
      .attr("stroke", kAxis)
      .end_empty();
  svg.end("svg");
  return svg.take();
}

}  // namespace pratu::web
