/// The DER writer: lengths, OIDs in base 128, integers in two's complement.
#include "crypto/der.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace pratu::crypto::der {

namespace {

std::string length_octets(std::size_t length) {
  if (length < 0x80) return std::string(1, static_cast<char>(length));
  std::string octets;
  for (std::size_t n = length; n > 0; n >>= 8) octets.insert(octets.begin(), static_cast<char>(n));
  return static_cast<char>(0x80 | octets.size()) + octets;
}

// One OID arc in base 128, high groups first, all but the last with the top bit set.
void append_base128(std::string& out, std::uint64_t value) {
  char groups[10];
  int n = 0;
  do {
    groups[n++] = static_cast<char>(value & 0x7f);
    value >>= 7;
  } while (value > 0);
  while (n > 1) out.push_back(static_cast<char>(groups[--n] | 0x80));
  out.push_back(groups[0]);
}

// A constructed, context-specific tag in the low-tag-number form.
std::uint8_t context_tag(int n) {
  if (n < 0 || n > 30) throw std::invalid_argument("context tag out of range");
  return static_cast<std::uint8_t>(0xa0 | n);
}

std::string concatenated(const std::vector<std::string>& elements) {
  std::string out;
  for (const auto& element : elements) out += element;
  return out;
}

}  // namespace

std::string tlv(std::uint8_t tag, std::string_view content) {
  std::string out(1, static_cast<char>(tag));
  out += length_octets(content.size());
  out += content;
  return out;
}

std::string sequence(const std::vector<std::string>& elements) {
  return tlv(kSequence, concatenated(elements));
}

std::string set_of_content(std::vector<std::string> elements) {
  // X.690 §11.6: ascending order of the encodings as octet strings, the shorter one padded
  // with zeros; std::string compares octets as unsigned char, which is that order.
  std::sort(elements.begin(), elements.end());
  return concatenated(elements);
}

std::string set_of(std::vector<std::string> elements) {
  return tlv(kSet, set_of_content(std::move(elements)));
}

std::string oid(std::string_view dotted) {
  std::vector<std::uint64_t> arcs;
  std::size_t start = 0;
  while (start <= dotted.size()) {
    const std::size_t dot = std::min(dotted.find('.', start), dotted.size());
    std::uint64_t arc = 0;
    const auto* first = dotted.data() + start;
    const auto* last = dotted.data() + dot;
    const auto [end, error] = std::from_chars(first, last, arc);
    if (first == last || error != std::errc() || end != last) {
      throw std::invalid_argument("not an OID: " + std::string(dotted));
    }
    arcs.push_back(arc);
    start = dot + 1;
  }
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) {
    throw std::invalid_argument("not an OID: " + std::string(dotted));
  }
  std::string content;
  append_base128(content, arcs[0] * 40 + arcs[1]);
  for (std::size_t i = 2; i < arcs.size(); ++i) append_base128(content, arcs[i]);
  return tlv(kObjectIdentifier, content);
}

std::string integer(std::uint64_t value) {
  std::string magnitude;
  for (std::uint64_t n = value; n > 0; n >>= 8) {
    magnitude.insert(magnitude.begin(), static_cast<char>(n & 0xff));
  }
  return unsigned_integer(magnitude);
}

std::string unsigned_integer(std::string_view magnitude) {
  std::size_t first = 0;
  while (first < magnitude.size() && magnitude[first] == '\0') ++first;
  std::string content(magnitude.substr(first));
  if (content.empty() || (static_cast<unsigned char>(content[0]) & 0x80) != 0) {
    content.insert(content.begin(), '\0');
  }
  return tlv(kInteger, content);
}

std::string octet_string(std::string_view bytes) { return tlv(kOctetString, bytes); }

std::string null() { return tlv(kNull, {}); }

std::string boolean(bool value) { return tlv(kBoolean, std::string(1, value ? '\xff' : '\0')); }

std::string explicit_tag(int n, std::string_view inner) { return tlv(context_tag(n), inner); }

std::string implicit_constructed(int n, std::string_view content) {
  return tlv(context_tag(n), content);
}

}  // namespace pratu::crypto::der
