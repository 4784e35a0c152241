#pragma once
/// A Mustache engine over Boost.JSON: templates compile once at startup and render from many
/// threads at once without copying the model.
///
/// Supported: {{name}} (HTML-escaped), {{{name}}} and {{& name}} (raw), {{#section}},
/// {{^inverted}}, {{! comment}}, {{> partial}}, dotted names and {{.}}. Falsy: missing, null,
/// false, 0, "" and []. Lambdas and delimiter changes are not supported (a compile error).

#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace pratu::web {

class TemplateSet;

/// One compiled template.
class Template {
 public:
  struct Node;
  /// Parses `source`; the error names `name` and the line of the problem.
  static Result<Template> compile(std::string_view source, std::string name);

  /// Renders with `frames` as the context stack (first = outermost); partials from `set`.
  void render(const std::vector<const boost::json::value*>& frames, const TemplateSet* set,
              std::string& out) const;

  /// This template with every {{root.…}}, {{{root.…}}} and {{& root.…}} tag replaced by its
  /// value in `constants` (escaped as the tag says; empty when missing) and every partial
  /// found in `set` written out in place, so rendering does neither per request. `root` must
  /// be a name no model or section item uses, or the model would no longer shadow it.
  Template specialize(const boost::json::value& constants, std::string_view root,
                      const TemplateSet* set) const;

  /// The parts before and after the top-level raw tag {{{name}}} (or {{& name}}), so a
  /// caller can write what goes there straight into the output; nullopt when the template
  /// has no such tag at its top level.
  std::optional<std::pair<Template, Template>> split_at(std::string_view name) const;

  /// Whether any tag, section or partial (looked up in `set`, as render would) names one of
  /// `roots` as its first part: {{user.display_name}} and {{#user}} both name "user". A tag
  /// resolves up the context stack, so a name inside a section counts too.
  bool mentions(std::span<const std::string_view> roots, const TemplateSet* set) const;

  const std::string& name() const { return name_; }
  /// The parsed nodes (for partial expansion inside the engine).
  const std::vector<Node>& nodes() const { return *nodes_; }

 private:
  std::string name_;
  std::shared_ptr<const std::vector<Node>> nodes_;
};

/// Templates by name, for partial lookup.
class TemplateSet {
 public:
  void add(std::string name, Template tmpl);
  /// The template named `name`, or nullptr.
  const Template* find(std::string_view name) const;
  /// Calls `visit(name, template)` for each template, in name order.
  void for_each(const std::function<void(const std::string&, const Template&)>& visit) const;

 private:
  std::map<std::string, Template, std::less<>> templates_;
};

/// Appends `text` to `out` with &, <, >, ", ' escaped.
void append_html_escaped(std::string_view text, std::string& out);

}  // namespace pratu::web
