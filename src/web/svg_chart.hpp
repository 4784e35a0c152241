#pragma once
/// Charts drawn on the server as inline SVG, for pages that work without JavaScript: bars
/// (rows) and columns, each value's bar proportional to it and labelled with its text. The SVG
/// is an image with an accessible name (role="img", aria-labelledby its <title>); the page
/// pairs it with a table of the same figures. A second series is told apart by a hatched
/// pattern and the legend as well as by its colour; both colours keep 4.5:1 against the white
/// background (WCAG 2.2 non-text contrast asks 3:1). Every text is escaped.

#include <optional>
#include <string>
#include <vector>

namespace pratu::web {

/// One row of a bar chart or one column of a column chart: a value per series.
struct ChartGroup {
  std::string label;                          // the row's or the column's label
  std::vector<std::optional<double>> values;  // one per series; nullopt: no bar
  std::vector<std::string> value_texts;       // how each value reads, written beside its bar
};

/// What a chart shows.
struct ChartData {
  std::string id;                   // unique on the page: the title is "<id>-title"
  std::string title;                // the chart's accessible name
  std::string description;          // one sentence more, e.g. where the table of the figures is
  std::string no_data;              // written instead of bars when no group has a value
  std::vector<std::string> series;  // the series' names (a legend when more than one)
  std::vector<ChartGroup> groups;
  /// Columns only: false leaves each value's text to its column's tooltip instead of writing
  /// it above the column, for many narrow columns whose texts would overlap.
  bool value_labels = true;
};

/// Horizontal bars: each group's label above its bars, one bar per series.
std::string bar_chart(const ChartData& chart);

/// Vertical columns: one slot per group, its label below (none when empty), its series side
/// by side.
std::string column_chart(const ChartData& chart);

}  // namespace pratu::web
