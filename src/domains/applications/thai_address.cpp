#include "domains/applications/thai_address.hpp"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/stringpiece.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <ranges>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/files.hpp"
#include "common/unicode_text.hpp"

namespace pratu::applications {

/// Each list is stored in the order it is asked for, so a list is a slice of one vector; the
/// `*_by_code` indexes, sorted by code, serve lookups.
struct ThaiAddressBook::Data {
  std::vector<Province> provinces;              // Thai order
  std::vector<District> districts;              // by province code, then Thai order
  std::vector<Subdistrict> subdistricts;        // by district code, then Thai order
  std::vector<SubdistrictPlace> places;         // by postcode, then province, district, subdistrict
  std::vector<std::uint32_t> province_by_code;  // positions in `provinces`
  std::vector<std::uint32_t> district_by_code;  // positions in `districts`
  std::vector<std::uint32_t> place_by_code;     // positions in `places`
  std::size_t postcode_count = 0;
};

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kProvinceDigits = 2;
constexpr std::size_t kDistrictDigits = 4;
constexpr std::size_t kSubdistrictDigits = 6;
constexpr std::size_t kPostcodeDigits = 5;

constexpr std::string_view kProvincesFile = "provinces.tsv";
constexpr std::string_view kDistrictsFile = "districts.tsv";
constexpr std::string_view kSubdistrictsFile = "subdistricts.tsv";

// Problems found while loading, each "<file>:<line>: <problem>".
class Problems {
 public:
  void add(const fs::path& file, std::size_t line, const std::string& problem) {
    lines_ += file.string() + ":" + std::to_string(line) + ": " + problem + "\n";
  }
  bool empty() const { return lines_.empty(); }
  Error error() const { return Error::internal(lines_.substr(0, lines_.size() - 1)); }

 private:
  std::string lines_;
};

// One line of a file: its number (from 1) and its tab-separated fields.
struct Line {
  std::size_t number = 0;
  std::vector<std::string_view> fields;
};

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto end = text.find(separator);
    parts.push_back(text.substr(0, end));
    if (end == std::string_view::npos) return parts;
    text.remove_prefix(end + 1);
  }
}

// The lines after the header, each with `header`'s number of fields. The views point into
// `text`.
std::vector<Line> read_lines(const fs::path& file, std::string_view text, std::string_view header,
                             Problems& problems) {
  std::vector<Line> lines;
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  const auto rows = split(text, '\n');
  if (rows.front() != header) {
    problems.add(file, 1, "the header must be \"" + std::string(header) + "\" (tab-separated)");
    return lines;
  }
  const std::size_t columns = split(header, '\t').size();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    Line line{i + 1, split(rows[i], '\t')};
    if (line.fields.size() != columns) {
      problems.add(file, line.number,
                   std::to_string(line.fields.size()) + " fields, not " + std::to_string(columns));
      continue;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

bool is_digits(std::string_view text, std::size_t count) {
  return text.size() == count &&
         std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; });
}

// Checks a code's digits; `what` names it in the problem ("province code").
bool check_code(std::string_view code, std::size_t digits, std::string_view what,
                const fs::path& file, std::size_t line, Problems& problems) {
  if (is_digits(code, digits)) return true;
  problems.add(file, line,
               std::string(what) + " \"" + std::string(code) + "\" is not " +
                   std::to_string(digits) + " digits");
  return false;
}

// Checks a name: UTF-8, no control characters, no space at either end, and not empty when
// `required`.
void check_name(std::string_view name, std::string_view what, bool required, const fs::path& file,
                std::size_t line, Problems& problems) {
  const auto bad = [&](const std::string& why) {
    problems.add(file, line, std::string(what) + " " + why);
  };
  if (name.empty()) {
    if (required) bad("is empty");
  } else if (!is_valid_utf8(name)) {
    bad("is not UTF-8");
  } else if (std::ranges::any_of(
                 name, [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    bad("holds a control character (a carriage return?)");
  } else if (name.front() == ' ' || name.back() == ' ') {
    bad("starts or ends with a space");
  }
}

// What was read, with the line each code came from.
struct Read {
  std::vector<Province> provinces;
  std::vector<District> districts;
  std::vector<Subdistrict> subdistricts;
  std::map<std::string, std::size_t, std::less<>> province_lines;
  std::map<std::string, std::size_t, std::less<>> district_lines;
  std::map<std::string, std::size_t, std::less<>> subdistrict_lines;
};

// Records `code` as read on `line`; a problem if it was read before.
void check_unique(std::map<std::string, std::size_t, std::less<>>& seen, const std::string& code,
                  const fs::path& file, std::size_t line, Problems& problems) {
  const auto [it, added] = seen.emplace(code, line);
  if (!added) {
    problems.add(
        file, line,
        "code " + code + " appears again (first on line " + std::to_string(it->second) + ")");
  }
}

void read_provinces(const fs::path& file, std::string_view text, Read& read, Problems& problems) {
  for (const auto& line : read_lines(file, text, "code\tth\ten", problems)) {
    Province p{std::string(line.fields[0]), std::string(line.fields[1]),
               std::string(line.fields[2])};
    if (!check_code(p.code, kProvinceDigits, "province code", file, line.number, problems)) {
      continue;
    }
    check_name(p.th, "Thai name", true, file, line.number, problems);
    check_name(p.en, "English name", true, file, line.number, problems);
    check_unique(read.province_lines, p.code, file, line.number, problems);
    read.provinces.push_back(std::move(p));
  }
}

void read_districts(const fs::path& file, std::string_view text, Read& read, Problems& problems) {
  for (const auto& line : read_lines(file, text, "code\tth\ten", problems)) {
    District d{std::string(line.fields[0]), std::string(line.fields[1]),
               std::string(line.fields[2])};
    if (!check_code(d.code, kDistrictDigits, "district code", file, line.number, problems)) {
      continue;
    }
    check_name(d.th, "Thai name", true, file, line.number, problems);
    check_name(d.en, "English name", true, file, line.number, problems);
    check_unique(read.district_lines, d.code, file, line.number, problems);
    read.districts.push_back(std::move(d));
  }
}

void read_subdistricts(const fs::path& file, std::string_view text, Read& read,
                       Problems& problems) {
  for (const auto& line : read_lines(file, text, "code\tpostcode\tth\ten", problems)) {
    Subdistrict s{std::string(line.fields[0]), std::string(line.fields[1]),
                  std::string(line.fields[2]), std::string(line.fields[3])};
    if (!check_code(s.code, kSubdistrictDigits, "subdistrict code", file, line.number, problems)) {
      continue;
    }
    check_code(s.postcode, kPostcodeDigits, "postcode", file, line.number, problems);
    check_name(s.th, "Thai name", true, file, line.number, problems);
    check_name(s.en, "English name", false, file, line.number, problems);
    check_unique(read.subdistrict_lines, s.code, file, line.number, problems);
    read.subdistricts.push_back(std::move(s));
  }
}

// Every parent present, every province and district with at least one child.
void check_nesting(const fs::path& dir, const Read& read, Problems& problems) {
  const fs::path provinces = dir / kProvincesFile;
  const fs::path districts = dir / kDistrictsFile;
  const fs::path subdistricts = dir / kSubdistrictsFile;
  std::set<std::string_view> provinces_with_districts;
  std::set<std::string_view> districts_with_subdistricts;
  for (const auto& d : read.districts) {
    const auto province = d.province_code();
    provinces_with_districts.insert(province);
    if (!read.province_lines.contains(province)) {
      problems.add(districts, read.district_lines.find(d.code)->second,
                   "district " + d.code + ": its province " + std::string(province) +
                       " is not in " + std::string(kProvincesFile));
    }
  }
  for (const auto& s : read.subdistricts) {
    const auto district = s.district_code();
    districts_with_subdistricts.insert(district);
    if (!read.district_lines.contains(district)) {
      problems.add(subdistricts, read.subdistrict_lines.find(s.code)->second,
                   "subdistrict " + s.code + ": its district " + std::string(district) +
                       " is not in " + std::string(kDistrictsFile));
    }
  }
  for (const auto& [code, line] : read.province_lines) {
    if (!provinces_with_districts.contains(code)) {
      problems.add(provinces, line,
                   "province " + code + " has no district in " + std::string(kDistrictsFile));
    }
  }
  for (const auto& [code, line] : read.district_lines) {
    if (!districts_with_subdistricts.contains(code)) {
      problems.add(districts, line,
                   "district " + code + " has no subdistrict in " + std::string(kSubdistrictsFile));
    }
  }
}

// Thai alphabetical order by Thai name: ICU's Thai collation, which sorts เชียงใหม่ under ช
// and not after every consonant as code points would. Codes break ties, so the order never
// depends on the files' order.
class ThaiOrder {
 public:
  static Result<ThaiOrder> make() {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Collator> collator(
        icu::Collator::createInstance(icu::Locale("th"), status));
    if (U_FAILURE(status) || status == U_USING_DEFAULT_WARNING) {
      return Error::internal(std::string("ICU has no Thai collation: ") + u_errorName(status));
    }
    return ThaiOrder(std::move(collator));
  }

  template <class T>
  bool operator()(const T& a, const T& b) const {
    UErrorCode status = U_ZERO_ERROR;
    const auto order = collator_->compareUTF8(piece(a.th), piece(b.th), status);
    if (U_FAILURE(status) || order == UCOL_EQUAL) return a.code < b.code;
    return order == UCOL_LESS;
  }

 private:
  explicit ThaiOrder(std::unique_ptr<icu::Collator> collator) : collator_(std::move(collator)) {}

  static icu::StringPiece piece(const std::string& text) {
    return icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size()));
  }

  std::shared_ptr<icu::Collator> collator_;
};

// Positions in `items`, sorted by the code of the item at each.
template <class T>
std::vector<std::uint32_t> index_by_code(const std::vector<T>& items) {
  std::vector<std::uint32_t> index(items.size());
  for (std::uint32_t i = 0; i < index.size(); ++i) index[i] = i;
  std::ranges::sort(index, {},
                    [&](std::uint32_t i) -> const std::string& { return items[i].code; });
  return index;
}

// The item with `code`, found through `index` (from index_by_code), or nullptr.
template <class T>
const T* find_by_code(const std::vector<T>& items, const std::vector<std::uint32_t>& index,
                      std::string_view code) {
  const auto it = std::ranges::lower_bound(
      index, code, {}, [&](std::uint32_t i) { return std::string_view(items[i].code); });
  if (it == index.end() || items[*it].code != code) return nullptr;
  return &items[*it];
}

// The items whose `key` is `value`, from `items` sorted by `key`.
template <class T, class Key>
std::span<const T> slice(const std::vector<T>& items, std::string_view value, Key key) {
  const auto first = std::partition_point(items.begin(), items.end(),
                                          [&](const T& item) { return key(item) < value; });
  const auto last =
      std::partition_point(first, items.end(), [&](const T& item) { return key(item) == value; });
  return {first, last};
}

// Where `item` sits in `items`: its rank in the order they are stored in.
template <class T>
std::ptrdiff_t position(const std::vector<T>& items, const T* item) {
  return item - items.data();
}

}  // namespace

DivisionWords division_words(std::string_view province_code) {
  return province_code == kBangkokCode ? DivisionWords::khet_khwaeng : DivisionWords::amphoe_tambon;
}

std::string_view to_string(AddressPart part) {
  switch (part) {
    case AddressPart::province: return "province";
    case AddressPart::district: return "district";
    case AddressPart::subdistrict: return "subdistrict";
    case AddressPart::postcode: return "postcode";
  }
  return "unknown";
}

Result<ThaiAddressBook> ThaiAddressBook::load(const std::filesystem::path& dir) {
  PRATU_TRY(provinces_text, read_file(dir / kProvincesFile));
  PRATU_TRY(districts_text, read_file(dir / kDistrictsFile));
  PRATU_TRY(subdistricts_text, read_file(dir / kSubdistrictsFile));
  Read read;
  Problems problems;
  read_provinces(dir / kProvincesFile, provinces_text, read, problems);
  read_districts(dir / kDistrictsFile, districts_text, read, problems);
  read_subdistricts(dir / kSubdistrictsFile, subdistricts_text, read, problems);
  if (problems.empty()) check_nesting(dir, read, problems);
  if (!problems.empty()) return problems.error();

  PRATU_TRY(thai, ThaiOrder::make());
  auto data = std::make_shared<Data>();
  data->provinces = std::move(read.provinces);
  data->districts = std::move(read.districts);
  data->subdistricts = std::move(read.subdistricts);
  std::ranges::sort(data->provinces, thai);
  std::ranges::sort(data->districts, [&](const District& a, const District& b) {
    if (a.province_code() != b.province_code()) return a.province_code() < b.province_code();
    return thai(a, b);
  });
  std::ranges::sort(data->subdistricts, [&](const Subdistrict& a, const Subdistrict& b) {
    if (a.district_code() != b.district_code()) return a.district_code() < b.district_code();
    return thai(a, b);
  });
  data->province_by_code = index_by_code(data->provinces);
  data->district_by_code = index_by_code(data->districts);

  // Pointers into the vectors above, which do not change from here on.
  data->places.reserve(data->subdistricts.size());
  for (const auto& s : data->subdistricts) {
    const District* district =
        find_by_code(data->districts, data->district_by_code, s.district_code());
    const Province* province =
        find_by_code(data->provinces, data->province_by_code, district->province_code());
    data->places.push_back({province, district, &s});
  }
  // Within a postcode: provinces in Thai order, then each one's districts and subdistricts in
  // the Thai order they are stored in.
  std::ranges::sort(data->places, [&](const SubdistrictPlace& a, const SubdistrictPlace& b) {
    if (a.subdistrict->postcode != b.subdistrict->postcode) {
      return a.subdistrict->postcode < b.subdistrict->postcode;
    }
    const auto rank = [&](const SubdistrictPlace& p) {
      return std::tuple(position(data->provinces, p.province),
                        position(data->districts, p.district),
                        position(data->subdistricts, p.subdistrict));
    };
    return rank(a) < rank(b);
  });
  data->place_by_code.resize(data->places.size());
  for (std::uint32_t i = 0; i < data->places.size(); ++i) data->place_by_code[i] = i;
  std::ranges::sort(data->place_by_code, {}, [&](std::uint32_t i) -> const std::string& {
    return data->places[i].subdistrict->code;
  });
  for (std::size_t i = 0; i < data->places.size(); ++i) {
    if (i == 0 ||
        data->places[i].subdistrict->postcode != data->places[i - 1].subdistrict->postcode) {
      ++data->postcode_count;
    }
  }
  return ThaiAddressBook(std::move(data));
}

std::span<const Province> ThaiAddressBook::provinces() const { return data_->provinces; }

std::span<const District> ThaiAddressBook::districts(std::string_view province_code) const {
  return slice(data_->districts, province_code,
               [](const District& d) { return d.province_code(); });
}

std::span<const Subdistrict> ThaiAddressBook::subdistricts(std::string_view district_code) const {
  return slice(data_->subdistricts, district_code,
               [](const Subdistrict& s) { return s.district_code(); });
}

std::span<const SubdistrictPlace> ThaiAddressBook::subdistricts_with_postcode(
    std::string_view postcode) const {
  return slice(data_->places, postcode,
               [](const SubdistrictPlace& p) { return std::string_view(p.subdistrict->postcode); });
}

const Province* ThaiAddressBook::province(std::string_view code) const {
  return find_by_code(data_->provinces, data_->province_by_code, code);
}

const District* ThaiAddressBook::district(std::string_view code) const {
  return find_by_code(data_->districts, data_->district_by_code, code);
}

const SubdistrictPlace* ThaiAddressBook::subdistrict(std::string_view code) const {
  const auto it = std::ranges::lower_bound(data_->place_by_code, code, {}, [&](std::uint32_t i) {
    return std::string_view(data_->places[i].subdistrict->code);
  });
  if (it == data_->place_by_code.end() || data_->places[*it].subdistrict->code != code) {
    return nullptr;
  }
  return &data_->places[*it];
}

std::optional<AddressPart> ThaiAddressBook::validate(std::string_view province_code,
                                                     std::string_view district_code,
                                                     std::string_view subdistrict_code,
                                                     std::string_view postcode) const {
  if (province(province_code) == nullptr) return AddressPart::province;
  const District* d = district(district_code);
  if (d == nullptr || d->province_code() != province_code) return AddressPart::district;
  const SubdistrictPlace* place = subdistrict(subdistrict_code);
  if (place == nullptr || place->district != d) return AddressPart::subdistrict;
  if (place->subdistrict->postcode != postcode) return AddressPart::postcode;
  return std::nullopt;
}

std::size_t ThaiAddressBook::district_count() const { return data_->districts.size(); }

std::size_t ThaiAddressBook::subdistrict_count() const { return data_->subdistricts.size(); }

std::size_t ThaiAddressBook::postcode_count() const { return data_->postcode_count; }

}  // namespace pratu::applications
