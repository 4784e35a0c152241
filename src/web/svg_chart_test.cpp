#include "web/svg_chart.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include "support/temp_dir.hpp"

namespace pratu::web {
namespace {

ChartData one_series(std::vector<double> values) {
  ChartData chart{"c", "Applications", "The table follows.", "Nothing to show", {}, {}};
  for (std::size_t i = 0; i < values.size(); ++i) {
    chart.groups.push_back(
        {"g" + std::to_string(i), {values[i]}, {std::to_string(static_cast<int>(values[i]))}});
  }
  return chart;
}

// The value of attribute `name` of every bar, in order.
std::vector<double> bar_attribute(const std::string& svg, const std::string& name) {
  std::vector<double> out;
  const std::regex bar("<rect class=\"chart__bar\"[^>]*");
  const std::regex attribute(" " + name + "=\"([0-9.]+)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator();
       ++it) {
    const std::string tag = it->str();
    std::smatch m;
    if (std::regex_search(tag, m, attribute)) out.push_back(std::stod(m[1].str()));
  }
  return out;
}

// Whether every element opened is closed in order, every attribute quoted and every "&"
// starts an entity: what an XML parser asks of this markup (no comments, CDATA or doctypes).
bool well_formed(const std::string& svg) {
  std::vector<std::string> open;
  for (std::size_t i = 0; i < svg.size();) {
    if (svg[i] == '&') {
      static const std::regex entity("^&(amp|lt|gt|quot|#39|#x27|apos);");
      if (!std::regex_search(svg.substr(i, 8), entity)) return false;
      ++i;
      continue;
    }
    if (svg[i] != '<') {
      if (svg[i] == '>') return false;
      ++i;
      continue;
    }
    const auto close = svg.find('>', i);
    if (close == std::string::npos) return false;
    std::string tag = svg.substr(i + 1, close - i - 1);
    i = close + 1;
    if (tag.find('<') != std::string::npos) return false;
    if (tag.starts_with("/")) {
      if (open.empty() || open.back() != tag.substr(1)) return false;
      open.pop_back();
      continue;
    }
    const bool empty = tag.ends_with("/");
    const std::string name = tag.substr(0, tag.find_first_of(" /"));
    static const std::regex attributes(R"(^[a-zA-Z][\w-]*(\s+[\w:-]+="[^"<]*")*\s*/?$)");
    if (!std::regex_match(tag, attributes)) return false;
    if (!empty) open.push_back(name);
  }
  return open.empty();
}

// xmllint's verdict on `svg`: 0 when it parses, -1 when xmllint is not installed.
int xmllint(const std::string& svg) {
  if (std::system("command -v xmllint > /dev/null 2>&1") != 0) return -1;
  const test::TempDir dir("pratu-svg-");
  const auto file = dir.write("chart.svg", svg);
  const std::string command = "xmllint --noout " + file.string() + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

void expect_parses(const std::string& svg) {
  EXPECT_TRUE(well_formed(svg)) << svg;
  const int lint = xmllint(svg);
  if (lint >= 0) EXPECT_EQ(lint, 0) << svg;
}

TEST(SvgChart, EscapesEveryTextItWrites) {
  ChartData chart{"x\"y",
                  "<script>alert(1)</script> & co",
                  "a \"quoted\" 'word'",
                  "<b>none</b>",
                  {"<i>this</i>", "last & first"},
                  {{"<img src=x onerror=alert(1)>", {3.0, 1.0}, {"3 <", "> 1"}}}};
  for (const std::string& svg : {bar_chart(chart), column_chart(chart)}) {
    EXPECT_EQ(svg.find("<script"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("<img"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("<i>"), std::string::npos) << svg;
    EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
    EXPECT_NE(svg.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
    EXPECT_NE(svg.find("last &amp; first"), std::string::npos);
    EXPECT_NE(svg.find("id=\"x&quot;y-title\""), std::string::npos);
    expect_parses(svg);
  }
  chart.groups.clear();
  const std::string empty = bar_chart(chart);
  EXPECT_NE(empty.find("&lt;b&gt;none&lt;/b&gt;"), std::string::npos) << empty;
}

TEST(SvgChart, IsAnImageNamedByItsTitle) {
  const std::string svg = bar_chart(one_series({4, 2}));
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\"")) << svg;
  EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
  EXPECT_NE(svg.find("aria-labelledby=\"c-title\""), std::string::npos);
  EXPECT_NE(svg.find("<title id=\"c-title\">Applications</title>"), std::string::npos);
  EXPECT_NE(svg.find("aria-describedby=\"c-desc\""), std::string::npos);
  EXPECT_NE(svg.find("<desc id=\"c-desc\">The table follows.</desc>"), std::string::npos);
  EXPECT_EQ(svg.find("style="), std::string::npos) << "no inline style: the CSP forbids it";
  expect_parses(svg);
}

TEST(SvgChart, BarsAreProportionalToTheirValues) {
  const std::string svg = bar_chart(one_series({10, 5, 2.5, 0}));
  const auto widths = bar_attribute(svg, "width");
  ASSERT_EQ(widths.size(), 4u) << svg;
  ASSERT_GT(widths[0], 100);
  EXPECT_NEAR(widths[1] / widths[0], 0.5, 0.01);
  EXPECT_NEAR(widths[2] / widths[0], 0.25, 0.01);
  EXPECT_EQ(widths[3], 0);
  // Each value is written beside its bar, so the figure is read without measuring.
  for (const char* label : {">10<", ">5<", ">2<", ">0<"}) {
    EXPECT_NE(svg.find(label), std::string::npos) << label;
  }
  expect_parses(svg);
}

TEST(SvgChart, ColumnsAreProportionalToTheirValuesAndStandOnOneLine) {
  const std::string svg = column_chart(one_series({4, 8, 2, 0, 6}));
  const auto heights = bar_attribute(svg, "height");
  const auto ys = bar_attribute(svg, "y");
  ASSERT_EQ(heights.size(), 5u) << svg;
  EXPECT_NEAR(heights[0] / heights[1], 0.5, 0.01);
  EXPECT_NEAR(heights[2] / heights[1], 0.25, 0.01);
  EXPECT_NEAR(heights[4] / heights[1], 0.75, 0.01);
  EXPECT_EQ(heights[3], 0);
  for (std::size_t i = 0; i < heights.size(); ++i) {
    EXPECT_NEAR(ys[i] + heights[i], ys[1] + heights[1], 0.11) << "column " << i;
  }
  expect_parses(svg);
}

TEST(SvgChart, TwoSeriesDifferByPatternAndAreNamedNotByColourAlone) {
  ChartData chart{"m", "Median", "", "None", {"This month", "Last month"}, {}};
  chart.groups.push_back({"Shop", {3.0, 5.0}, {"3", "5"}});
  chart.groups.push_back({"Sign", {std::nullopt, 2.0}, {"none decided", "2"}});
  const std::string svg = bar_chart(chart);
  EXPECT_NE(svg.find("<pattern id=\"m-hatch\""), std::string::npos) << svg;
  // The legend names both, and each bar's text says which month it is.
  EXPECT_NE(svg.find(">This month</text>"), std::string::npos);
  EXPECT_NE(svg.find(">Last month</text>"), std::string::npos);
  EXPECT_NE(svg.find(">3 (This month)<"), std::string::npos);
  EXPECT_NE(svg.find(">5 (Last month)<"), std::string::npos);
  EXPECT_NE(svg.find(">none decided (This month)<"), std::string::npos);
  // The second series is hatched: its bars filled with the pattern, the first's solid.
  const std::regex hatched("<rect class=\"chart__bar\"[^>]*fill=\"url\\(#m-hatch\\)\"");
  auto count = [&](const std::regex& re) {
    return std::distance(std::sregex_iterator(svg.begin(), svg.end(), re), std::sregex_iterator());
  };
  EXPECT_EQ(count(hatched), 2);
  EXPECT_EQ(bar_attribute(svg, "width").size(), 3u) << "no bar where there is no value";
  EXPECT_NEAR(bar_attribute(svg, "width")[0] / bar_attribute(svg, "width")[1], 0.6, 0.01);
  expect_parses(svg);
}

TEST(SvgChart, NothingToDrawSaysSoInAWholeImage) {
  ChartData none{"e", "Received", "", "No applications received", {}, {}};
  ChartData missing{"e", "Median", "", "Nothing to show", {"This month", "Last month"}, {}};
  missing.groups.push_back({"Shop", {std::nullopt, std::nullopt}, {"none", "none"}});
  for (const std::string& svg :
       {bar_chart(none), column_chart(none), bar_chart(missing), column_chart(missing)}) {
    EXPECT_NE(svg.find("data-chart-empty=\"true\""), std::string::npos) << svg;
    EXPECT_NE(svg.find("role=\"img\""), std::string::npos);
    EXPECT_EQ(svg.find("chart__bar"), std::string::npos);
    EXPECT_EQ(svg.find("nan"), std::string::npos);
    EXPECT_EQ(svg.find("inf"), std::string::npos);
    expect_parses(svg);
  }
  EXPECT_NE(bar_chart(none).find(">No applications received</text>"), std::string::npos);
  EXPECT_NE(column_chart(missing).find(">Nothing to show</text>"), std::string::npos);
}

TEST(SvgChart, ZerosAreFiguresDrawnAsEmptyBarsWithTheirValues) {
  const std::string bars = bar_chart(one_series({0, 0}));
  const std::string columns = column_chart(one_series({0, 0}));
  EXPECT_EQ(bar_attribute(bars, "width"), (std::vector<double>{0, 0})) << bars;
  EXPECT_EQ(bar_attribute(columns, "height"), (std::vector<double>{0, 0})) << columns;
  for (const std::string& svg : {bars, columns}) {
    EXPECT_EQ(svg.find("data-chart-empty"), std::string::npos) << svg;
    EXPECT_EQ(svg.find("Nothing to show"), std::string::npos);
    EXPECT_NE(svg.find(">0</text>"), std::string::npos);
    EXPECT_EQ(svg.find("nan"), std::string::npos);
    EXPECT_EQ(svg.find("inf"), std::string::npos);
    expect_parses(svg);
  }
}

TEST(SvgChart, ManyNarrowColumnsKeepTheirValuesInTheirTooltips) {
  ChartData chart = one_series({1234, 5678, 0});
  chart.groups[1].label.clear();
  chart.value_labels = false;
  const std::string svg = column_chart(chart);
  EXPECT_EQ(bar_attribute(svg, "height").size(), 3u) << svg;
  // Each value is its column's tooltip, never a text over the neighbours'.
  EXPECT_NE(svg.find("<title>1234</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title>5678</title>"), std::string::npos);
  EXPECT_EQ(svg.find(">1234</text>"), std::string::npos);
  EXPECT_EQ(svg.find(">5678</text>"), std::string::npos);
  // A column without a label gets no empty text; the others keep theirs.
  EXPECT_NE(svg.find(">g0</text>"), std::string::npos);
  EXPECT_EQ(svg.find("></text>"), std::string::npos);
  expect_parses(svg);
}

TEST(SvgChart, WellFormednessCheckRefusesBrokenMarkup) {
  EXPECT_TRUE(well_formed("<svg a=\"1\"><g/><text>x &amp; y</text></svg>"));
  EXPECT_FALSE(well_formed("<svg><text>x</svg>"));
  EXPECT_FALSE(well_formed("<svg><text>a & b</text></svg>"));
  EXPECT_FALSE(well_formed("<svg a=1></svg>"));
}

}  // namespace
}  // namespace pratu::web
