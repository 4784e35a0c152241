#pragma once
/// Thailand's provinces, districts and subdistricts with their postcodes, read once at start
/// from datasets/thai-address/ (its README.md says where they come from): the choices of a Thai
/// address field, and the check of a submitted one. Answers store codes; names are for showing.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "common/result.hpp"

namespace pratu::applications {

/// A province (จังหวัด, changwat).
struct Province {
  std::string code;  // 2 digits
  std::string th;
  std::string en;
};

/// A district: อำเภอ (amphoe), or เขต (khet) in Bangkok.
struct District {
  std::string code;  // 4 digits, the first 2 its province's
  std::string th;
  std::string en;

  /// The code of the province it lies in.
  std::string_view province_code() const { return std::string_view(code).substr(0, 2); }
};

/// A subdistrict: ตำบล (tambon), or แขวง (khwaeng) in Bangkok.
struct Subdistrict {
  std::string code;      // 6 digits, the first 4 its district's
  std::string postcode;  // 5 digits
  std::string th;
  std::string en;  // empty where the data set has no English name

  /// The code of the district it lies in.
  std::string_view district_code() const { return std::string_view(code).substr(0, 4); }
  /// The English name, or the Thai one where the data set has none.
  const std::string& en_or_th() const { return en.empty() ? th : en; }
};

/// A subdistrict with the district and province it lies in. The pointers are never null and
/// stay valid while the ThaiAddressBook that gave them, or a copy of it, exists.
struct SubdistrictPlace {
  const Province* province = nullptr;
  const District* district = nullptr;
  const Subdistrict* subdistrict = nullptr;
};

/// The words a province uses for its districts and subdistricts.
enum class DivisionWords {
  amphoe_tambon,  // อำเภอ / ตำบล: every province but Bangkok
  khet_khwaeng,   // เขต / แขวง: Bangkok
};

/// Bangkok's province code: the one province with khet and khwaeng.
inline constexpr std::string_view kBangkokCode = "10";

/// Which words the province `province_code` uses for its districts and subdistricts.
DivisionWords division_words(std::string_view province_code);

/// A part of a submitted address, from the top.
enum class AddressPart { province, district, subdistrict, postcode };

/// "province", "district", "subdistrict" or "postcode".
std::string_view to_string(AddressPart part);

/// Thailand's administrative divisions in memory: lists for each step of the address
/// questions and lookups by code. Copies share one immutable data set, so it is cheap to pass
/// around and safe to read from any thread.
class ThaiAddressBook {
 public:
  /// Reads provinces.tsv, districts.tsv and subdistricts.tsv from `dir` and checks them:
  /// columns, code and postcode digits, unique codes, each code starting with its parent's,
  /// every parent present and every province and district with children. Fails (internal)
  /// with one "<file>:<line>: <problem>" line per problem in the detail.
  static Result<ThaiAddressBook> load(const std::filesystem::path& dir);

  /// Every province, in Thai alphabetical order.
  std::span<const Province> provinces() const;
  /// The districts of a province, in Thai alphabetical order; empty for an unknown code.
  std::span<const District> districts(std::string_view province_code) const;
  /// The subdistricts of a district, in Thai alphabetical order; empty for an unknown code.
  std::span<const Subdistrict> subdistricts(std::string_view district_code) const;
  /// The subdistricts a postcode serves, with their districts and provinces, in Thai
  /// alphabetical order of province, then district, then subdistrict; empty for an unknown
  /// postcode. For "postcode first": at most 33 places.
  std::span<const SubdistrictPlace> subdistricts_with_postcode(std::string_view postcode) const;

  /// The province with `code`, or nullptr.
  const Province* province(std::string_view code) const;
  /// The district with `code`, or nullptr.
  const District* district(std::string_view code) const;
  /// The subdistrict with `code`, with its postcode, district and province, or nullptr.
  const SubdistrictPlace* subdistrict(std::string_view code) const;

  /// The first part of a submitted address that is wrong, or nullopt when all four agree: an
  /// unknown province; a district that is not one of the province's; a subdistrict that is
  /// not one of the district's; a postcode that is not the subdistrict's. The parts below a
  /// wrong one are not looked at: they mean nothing without it.
  std::optional<AddressPart> validate(std::string_view province_code,
                                      std::string_view district_code,
                                      std::string_view subdistrict_code,
                                      std::string_view postcode) const;

  /// How many districts there are.
  std::size_t district_count() const;
  /// How many subdistricts there are.
  std::size_t subdistrict_count() const;
  /// How many different postcodes the subdistricts have.
  std::size_t postcode_count() const;

 private:
  struct Data;
  explicit ThaiAddressBook(std::shared_ptr<const Data> data) : data_(std::move(data)) {}

  std::shared_ptr<const Data> data_;
};

}  // namespace pratu::applications
