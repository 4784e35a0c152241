#include "web/template_engine.hpp"

#include "common/text.hpp"

#include <boost/json.hpp>

#include <cstdio>

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

void append_html_escaped(std::string_view text, std::string& out) {
  // Copy runs of safe bytes at once: most text (Thai is three bytes a letter) needs no escape.
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char* entity = nullptr;
    switch (text[i]) {
      case '&': entity = "&amp;"; break;
      case '<': entity = "&lt;"; break;
      case '>': entity = "&gt;"; break;
      case '"': entity = "&quot;"; break;
      case '\'': entity = "&#39;"; break;
      default: continue;
    }
    out.append(text.data() + run, i - run);
    out.append(entity);
    run = i + 1;
  }
  out.append(text.data() + run, text.size() - run);
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

void TemplateSet::add(std::string name, Template tmpl) {
  templates_.insert_or_assign(std::move(name), std::move(tmpl));
}

const Template* TemplateSet::find(std::string_view name) const {
  auto it = templates_.find(name);
  return it == templates_.end() ? nullptr : &it->second;
}

}  // namespace pratu::web
