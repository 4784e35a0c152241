#include "web/template_engine.hpp"

#include "common/text.hpp"

#include <boost/json.hpp>

#include <cstdio>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace pratu::web {

namespace json = boost::json;

struct Template::Node {
  enum class Kind { text, escaped, raw, section, inverted, partial };
  Kind kind = Kind::text;
  std::string text;               // literal text, or the tag name
  std::vector<std::string> path;  // dotted name split; empty for "."
  std::vector<Node> children;     // sections
};

namespace {

std::vector<std::string> split_path(std::string_view name) {
  std::vector<std::string> parts;
  if (name == ".") return parts;
  std::size_t start = 0;
  while (start <= name.size()) {
    auto dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    parts.emplace_back(name.substr(start, dot - start));
    start = dot + 1;
  }
  return parts;
}

int line_of(std::string_view source, std::size_t pos) {
  int line = 1;
  for (std::size_t i = 0; i < pos && i < source.size(); ++i) line += source[i] == '\n';
  return line;
}

bool truthy(const json::value* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_bool()) return v->get_bool();
  if (v->is_string()) return !v->get_string().empty();
  if (v->is_array()) return !v->get_array().empty();
  if (v->is_int64()) return v->get_int64() != 0;
  if (v->is_uint64()) return v->get_uint64() != 0;
  if (v->is_double()) return v->get_double() != 0.0;
  return true;
}

const json::value* lookup(const std::vector<const json::value*>& frames,
                          const std::vector<std::string>& path) {
  if (path.empty()) return frames.empty() ? nullptr : frames.back();
  const json::value* found = nullptr;
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    if (const auto* obj = (*it)->if_object()) {
      if (const auto* v = obj->if_contains(path.front())) {
        found = v;
        break;
      }
    }
  }
  for (std::size_t i = 1; found != nullptr && i < path.size(); ++i) {
    if (const auto* arr = found->if_array()) {
      // "items.0" selects the first element: lets a template test "has any".
      const auto& part = path[i];
      bool numeric = !part.empty() && part.find_first_not_of("0123456789") == std::string::npos;
      std::size_t index = numeric && part.size() < 9 ? std::stoul(part) : arr->size();
      found = index < arr->size() ? &(*arr)[index] : nullptr;
      continue;
    }
    const auto* obj = found->if_object();
    found = obj != nullptr ? obj->if_contains(path[i]) : nullptr;
  }
  return found;
}

void append_value(const json::value& v, bool escape, std::string& out) {
  if (v.is_string()) {
    const auto& s = v.get_string();
    if (escape) {
      append_html_escaped(std::string_view(s.data(), s.size()), out);
    } else {
      out.append(s.data(), s.size());
    }
  } else if (v.is_int64()) {
    out += std::to_string(v.get_int64());
  } else if (v.is_uint64()) {
    out += std::to_string(v.get_uint64());
  } else if (v.is_double()) {
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%g", v.get_double());
    out.append(buf, static_cast<std::size_t>(n));
  } else if (v.is_bool()) {
    out += v.get_bool() ? "true" : "false";
  }
}

void render_nodes(const std::vector<Template::Node>& nodes, std::vector<const json::value*>& frames,
                  const TemplateSet* set, std::string& out, int depth);

void render_node(const Template::Node& node, std::vector<const json::value*>& frames,
                 const TemplateSet* set, std::string& out, int depth) {
  using Kind = Template::Node::Kind;
  switch (node.kind) {
    case Kind::text: out += node.text; return;
    case Kind::escaped:
    case Kind::raw:
      if (const auto* v = lookup(frames, node.path))
        append_value(*v, node.kind == Kind::escaped, out);
      return;
    case Kind::inverted:
      if (!truthy(lookup(frames, node.path))) render_nodes(node.children, frames, set, out, depth);
      return;
    case Kind::section: {
      const auto* v = lookup(frames, node.path);
      if (!truthy(v)) return;
      if (v->is_array()) {
        for (const auto& item : v->get_array()) {
          frames.push_back(&item);
          render_nodes(node.children, frames, set, out, depth);
          frames.pop_back();
        }
      } else {
        frames.push_back(v);
        render_nodes(node.children, frames, set, out, depth);
        frames.pop_back();
      }
      return;
    }
    case Kind::partial:
      // Depth bound: a partial that includes itself must not exhaust the stack.
      if (set == nullptr || depth > 16) return;
      if (const auto* tmpl = set->find(node.text))
        render_nodes(tmpl->nodes(), frames, set, out, depth);
      return;
  }
}

void render_nodes(const std::vector<Template::Node>& nodes, std::vector<const json::value*>& frames,
                  const TemplateSet* set, std::string& out, int depth) {
  for (const auto& node : nodes) render_node(node, frames, set, out, depth + 1);
}

}  // namespace

namespace {

// The entity for a byte that must be escaped, or nullptr.
const char* entity_of(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return nullptr;
  }
}

// The first byte at or after `p` that must be escaped, or `end`.
const char* next_special(const char* p, const char* end) {
#if defined(__SSE2__)
  // Sixteen bytes a step: most text (Thai is three bytes a letter) needs no escape at all.
  const __m128i amp = _mm_set1_epi8('&'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'),
                quot = _mm_set1_epi8('"'), apos = _mm_set1_epi8('\'');
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit =
        _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, lt)),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, gt), _mm_cmpeq_epi8(v, quot))),
                     _mm_cmpeq_epi8(v, apos));
    if (const int mask = _mm_movemask_epi8(hit); mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  while (p < end && entity_of(*p) == nullptr) ++p;
  return p;
}

}  // namespace

void append_html_escaped(std::string_view text, std::string& out) {
  const char* run = text.data();
  const char* const end = run + text.size();
  for (const char* p = next_special(run, end); p != end; p = next_special(run, end)) {
    out.append(run, static_cast<std::size_t>(p - run));
    out.append(entity_of(*p));
    run = p + 1;
  }
  out.append(run, static_cast<std::size_t>(end - run));
}

Result<Template> Template::compile(std::string_view source, std::string name) {
  auto fail = [&](std::size_t pos, const std::string& what) -> Error {
    return Error::internal(name + ":" + std::to_string(line_of(source, pos)) + ": " + what);
  };
  std::vector<Node> root;
  // Stack of open sections: the node list to append to, and the open section's name.
  std::vector<std::pair<std::vector<Node>*, std::string>> open{{&root, ""}};
  std::size_t pos = 0;
  while (pos < source.size()) {
    auto start = source.find("{{", pos);
    if (start == std::string_view::npos) start = source.size();
    if (start > pos)
      open.back().first->push_back(
          Node{Node::Kind::text, std::string(source.substr(pos, start - pos)), {}, {}});
    if (start == source.size()) break;
    bool triple = source.compare(start, 3, "{{{") == 0;
    auto close = source.find(triple ? "}}}" : "}}", start);
    if (close == std::string_view::npos) return fail(start, "unclosed tag");
    auto inner = source.substr(start + (triple ? 3 : 2), close - start - (triple ? 3 : 2));
    pos = close + (triple ? 3 : 2);
    if (triple) {
      auto tag = std::string(trim(inner));
      open.back().first->push_back(Node{Node::Kind::raw, tag, split_path(tag), {}});
      continue;
    }
    if (inner.empty()) return fail(start, "empty tag");
    char sigil = inner.front();
    auto tag = std::string(
        trim(inner.substr(sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!' ||
                                  sigil == '>' || sigil == '&' || sigil == '='
                              ? 1
                              : 0)));
    switch (sigil) {
      case '!': break;
      case '=': return fail(start, "delimiter changes are not supported");
      case '#':
      case '^': {
        auto& list = *open.back().first;
        list.push_back(Node{
            sigil == '#' ? Node::Kind::section : Node::Kind::inverted, tag, split_path(tag), {}});
        open.emplace_back(&list.back().children, tag);
        break;
      }
      case '/':
        if (open.size() == 1 || open.back().second != tag) {
          return fail(start, "closing tag {{/" + tag + "}} does not match an open section");
        }
        open.pop_back();
        break;
      case '>': open.back().first->push_back(Node{Node::Kind::partial, tag, {}, {}}); break;
      case '&':
        open.back().first->push_back(Node{Node::Kind::raw, tag, split_path(tag), {}});
        break;
      default: open.back().first->push_back(Node{Node::Kind::escaped, tag, split_path(tag), {}});
    }
  }
  if (open.size() != 1)
    return fail(source.size(), "section {{#" + open.back().second + "}} is not closed");
  Template t;
  t.name_ = std::move(name);
  t.nodes_ = std::make_shared<const std::vector<Node>>(std::move(root));
  return t;
}

void Template::render(const std::vector<const json::value*>& frames, const TemplateSet* set,
                      std::string& out) const {
  std::vector<const json::value*> stack = frames;
  render_nodes(*nodes_, stack, set, out, 0);
}

namespace {

using Nodes = std::vector<Template::Node>;

// The value at `path` (below its first part) in `constants`, or nullptr.
const json::value* constant_at(const json::value& constants, const std::vector<std::string>& path) {
  const json::value* found = &constants;
  for (std::size_t i = 1; found != nullptr && i < path.size(); ++i) {
    const auto* obj = found->if_object();
    found = obj != nullptr ? obj->if_contains(path[i]) : nullptr;
  }
  return found;
}

void append_text(Nodes& out, std::string text) {
  if (text.empty()) return;
  if (!out.empty() && out.back().kind == Template::Node::Kind::text) {
    out.back().text += text;
  } else {
    out.push_back(Template::Node{Template::Node::Kind::text, std::move(text), {}, {}});
  }
}

void specialize_into(const Nodes& nodes, const json::value& constants, std::string_view root,
                     const TemplateSet* set, int depth, Nodes& out) {
  using Kind = Template::Node::Kind;
  for (const auto& node : nodes) {
    switch (node.kind) {
      case Kind::text: append_text(out, node.text); break;
      case Kind::escaped:
      case Kind::raw:
        if (!node.path.empty() && node.path.front() == root) {
          std::string text;
          if (const auto* v = constant_at(constants, node.path)) {
            append_value(*v, node.kind == Kind::escaped, text);
          }
          append_text(out, std::move(text));
        } else {
          out.push_back(node);
        }
        break;
      case Kind::section:
      case Kind::inverted: {
        Template::Node copy{node.kind, node.text, node.path, {}};
        specialize_into(node.children, constants, root, set, depth, copy.children);
        out.push_back(std::move(copy));
        break;
      }
      case Kind::partial: {
        // Written out to the same depth render_node allows; deeper ones stay partials.
        const Template* tmpl = set != nullptr ? set->find(node.text) : nullptr;
        if (tmpl != nullptr && depth < 16) {
          specialize_into(tmpl->nodes(), constants, root, set, depth + 1, out);
        } else {
          out.push_back(node);
        }
        break;
      }
    }
  }
}

bool mentions_in(const Nodes& nodes, std::span<const std::string_view> roots,
                 const TemplateSet* set, int depth) {
  using Kind = Template::Node::Kind;
  for (const auto& node : nodes) {
    if (node.kind == Kind::text) continue;
    if (node.kind == Kind::partial) {
      const Template* tmpl = set != nullptr ? set->find(node.text) : nullptr;
      // A partial that cannot be read, or nests deeper than rendering allows, may name anything.
      if (tmpl == nullptr || depth >= 16) return true;
      if (mentions_in(tmpl->nodes(), roots, set, depth + 1)) return true;
      continue;
    }
    if (!node.path.empty()) {
      for (auto root : roots) {
        if (node.path.front() == root) return true;
      }
    }
    if (mentions_in(node.children, roots, set, depth)) return true;
  }
  return false;
}

}  // namespace

bool Template::mentions(std::span<const std::string_view> roots, const TemplateSet* set) const {
  return mentions_in(*nodes_, roots, set, 0);
}

Template Template::specialize(const json::value& constants, std::string_view root,
                              const TemplateSet* set) const {
  Nodes nodes;
  specialize_into(*nodes_, constants, root, set, 0, nodes);
  Template t;
  t.name_ = name_;
  t.nodes_ = std::make_shared<const Nodes>(std::move(nodes));
  return t;
}

std::optional<std::pair<Template, Template>> Template::split_at(std::string_view name) const {
  for (std::size_t i = 0; i < nodes_->size(); ++i) {
    const Node& node = (*nodes_)[i];
    if (node.kind == Node::Kind::raw && node.text == name) {
      Template before, after;
      before.name_ = after.name_ = name_;
      before.nodes_ = std::make_shared<const Nodes>(nodes_->begin(), nodes_->begin() + i);
      after.nodes_ = std::make_shared<const Nodes>(nodes_->begin() + i + 1, nodes_->end());
      return std::make_pair(std::move(before), std::move(after));
    }
  }
  return std::nullopt;
}

void TemplateSet::add(std::string name, Template tmpl) {
  templates_.insert_or_assign(std::move(name), std::move(tmpl));
}

void TemplateSet::for_each(
    const std::function<void(const std::string&, const Template&)>& visit) const {
  for (const auto& [name, tmpl] : templates_) visit(name, tmpl);
}

const Template* TemplateSet::find(std::string_view name) const {
  auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : &it->second;
}

}  // namespace pratu::web
