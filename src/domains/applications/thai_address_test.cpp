#include "domains/applications/thai_address.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.hpp"

namespace pratu::applications {
namespace {

// The bundled data set (datasets/thai-address), loaded once for every test that reads it.
const ThaiAddressBook& bundled() {
  static const ThaiAddressBook book = [] {
    auto loaded = ThaiAddressBook::load(PRATU_SOURCE_DIR "/datasets/thai-address");
    if (!loaded) throw std::runtime_error(loaded.error().detail);
    return *loaded;
  }();
  return book;
}

std::vector<std::string> codes_of(std::span<const SubdistrictPlace> places) {
  std::vector<std::string> codes;
  for (const auto& p : places) codes.push_back(p.subdistrict->code);
  return codes;
}

TEST(ThaiAddressBook, LoadsTheBundledCounts) {
  const auto& book = bundled();
  EXPECT_EQ(book.provinces().size(), 77u);
  EXPECT_EQ(book.district_count(), 928u);
  // 82 fewer than forms.md's 7,436: datasets/thai-address/README.md says why.
  EXPECT_EQ(book.subdistrict_count(), 7354u);
  EXPECT_EQ(book.postcode_count(), 956u);
}

TEST(ThaiAddressBook, ListsProvincesInThaiAlphabeticalOrder) {
  const auto provinces = bundled().provinces();
  ASSERT_FALSE(provinces.empty());
  EXPECT_EQ(provinces.front().th, "กระบี่");
  const auto at = [&](std::string_view th) {
    return std::ranges::find(provinces, th, &Province::th) - provinces.begin();
  };
  // A leading vowel does not count first: เชียงใหม่ sorts under ช, before ตรัง (in code point
  // order เ comes after every consonant).
  EXPECT_LT(at("ชุมพร"), at("เชียงใหม่"));
  EXPECT_LT(at("เชียงใหม่"), at("ตรัง"));
  EXPECT_LT(at("นราธิวาส"), at("น่าน"));
}

TEST(ThaiAddressBook, ListsBangkoksFiftyDistrictsWithBareNames) {
  const auto& book = bundled();
  const auto districts = book.districts("10");
  ASSERT_EQ(districts.size(), 50u);
  for (const auto& d : districts) {
    EXPECT_EQ(d.province_code(), "10");
    EXPECT_FALSE(d.th.starts_with("เขต")) << d.code << " " << d.th;
  }
  EXPECT_NE(std::ranges::find(districts, "พระนคร", &District::th), districts.end());
  EXPECT_EQ(division_words("10"), DivisionWords::khet_khwaeng);
  EXPECT_EQ(division_words("50"), DivisionWords::amphoe_tambon);
}

TEST(ThaiAddressBook, ListsADistrictsSubdistrictsInThaiOrder) {
  const auto subdistricts = bundled().subdistricts("1001");
  ASSERT_EQ(subdistricts.size(), 12u);
  std::vector<std::string> th;
  for (const auto& s : subdistricts) th.push_back(s.th);
  EXPECT_EQ(th.front(), "ชนะสงคราม");
  EXPECT_EQ(th.back(), "เสาชิงช้า");
  EXPECT_TRUE(bundled().subdistricts("1000").empty());
  EXPECT_TRUE(bundled().districts("").empty());
}

TEST(ThaiAddressBook, Postcode45000Serves33SubdistrictsOfRoiEt) {
  const auto places = bundled().subdistricts_with_postcode("45000");
  ASSERT_EQ(places.size(), 33u);
  for (const auto& p : places) {
    EXPECT_EQ(p.subdistrict->postcode, "45000");
    EXPECT_EQ(p.province->code, "45");
    EXPECT_EQ(p.district->code, p.subdistrict->district_code());
  }
  EXPECT_TRUE(bundled().subdistricts_with_postcode("45001").empty());
}

TEST(ThaiAddressBook, Postcode13240SpansAyutthayaAndLopBuri) {
  const auto places = bundled().subdistricts_with_postcode("13240");
  std::set<std::string> provinces;
  for (const auto& p : places) provinces.insert(p.province->code);
  EXPECT_EQ(provinces, (std::set<std::string>{"14", "16"}));
  // Provinces in Thai order: พระนครศรีอยุธยา (14) before ลพบุรี (16).
  ASSERT_FALSE(places.empty());
  EXPECT_EQ(places.front().province->code, "14");
  EXPECT_EQ(places.back().province->code, "16");
  // Then Thai order within Ban Phraek (1416): คลองน้อย, บ้านแพรก, บ้านใหม่ (แพ before ให: the vowel
  // written first is read after its consonant), สองห้อง, สำพะเนียง.
  EXPECT_EQ(codes_of(places),
            (std::vector<std::string>{"141604", "141601", "141602", "141605", "141603", "160104"}));
}

TEST(ThaiAddressBook, TellsApartTwoSubdistrictsOfOneNameInOneProvince) {
  const auto& book = bundled();
  const SubdistrictPlace* phra_khanong = book.subdistrict("100905");
  const SubdistrictPlace* phasi_charoen = book.subdistrict("102206");
  ASSERT_NE(phra_khanong, nullptr);
  ASSERT_NE(phasi_charoen, nullptr);
  EXPECT_EQ(phra_khanong->subdistrict->th, "บางจาก");
  EXPECT_EQ(phasi_charoen->subdistrict->th, "บางจาก");
  EXPECT_EQ(phra_khanong->province, phasi_charoen->province);
  EXPECT_EQ(phra_khanong->district->code, "1009");
  EXPECT_EQ(phasi_charoen->district->code, "1022");
  EXPECT_EQ(phra_khanong->subdistrict->postcode, "10260");
  EXPECT_EQ(phasi_charoen->subdistrict->postcode, "10160");
  // The name is no key: Phasi Charoen's บางจาก is not one of Phra Khanong's.
  EXPECT_EQ(book.validate("10", "1009", "102206", "10160"), AddressPart::subdistrict);
  EXPECT_EQ(book.validate("10", "1022", "102206", "10160"), std::nullopt);
}

TEST(ThaiAddressBook, FindsASubdistrictWithItsPostcodeDistrictAndProvince) {
  const SubdistrictPlace* place = bundled().subdistrict("110601");
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place->subdistrict->th, "บางเสาธง");
  EXPECT_EQ(place->subdistrict->postcode, "10570");  // corrected from upstream's 10540
  EXPECT_EQ(place->district->code, "1106");
  EXPECT_EQ(place->province->en, "Samut Prakan");
  for (std::string_view junk : {"", "1", "11060", "1106011", "abcdef", "999999"}) {
    EXPECT_EQ(bundled().subdistrict(junk), nullptr) << junk;
  }
  EXPECT_EQ(bundled().province("99"), nullptr);
  EXPECT_EQ(bundled().district("1199"), nullptr);
}

TEST(ThaiAddressBook, ShowsTheThaiNameWhereThereIsNoEnglishOne) {
  const SubdistrictPlace* place = bundled().subdistrict("100905");
  ASSERT_NE(place, nullptr);
  EXPECT_TRUE(place->subdistrict->en.empty());
  EXPECT_EQ(place->subdistrict->en_or_th(), "บางจาก");
  EXPECT_EQ(bundled().subdistrict("100101")->subdistrict->en_or_th(), "Phra Borom Maha Ratchawang");
}

TEST(ThaiAddressBook, ValidateAcceptsAnAddressWhosePartsAgree) {
  EXPECT_EQ(bundled().validate("10", "1001", "100101", "10200"), std::nullopt);
  EXPECT_EQ(bundled().validate("11", "1106", "110601", "10570"), std::nullopt);
}

TEST(ThaiAddressBook, ValidateNamesAnUnknownProvince) {
  EXPECT_EQ(bundled().validate("99", "1001", "100101", "10200"), AddressPart::province);
  EXPECT_EQ(bundled().validate("", "1001", "100101", "10200"), AddressPart::province);
}

TEST(ThaiAddressBook, ValidateNamesADistrictOfAnotherProvince) {
  // "Paris, Spain": Bang Sao Thong is in Samut Prakan, not Bangkok (forms.md §5, case 4).
  EXPECT_EQ(bundled().validate("10", "1106", "110601", "10570"), AddressPart::district);
  EXPECT_EQ(bundled().validate("10", "1099", "100101", "10200"), AddressPart::district);
}

TEST(ThaiAddressBook, ValidateNamesASubdistrictOfAnotherDistrict) {
  EXPECT_EQ(bundled().validate("10", "1001", "100201", "10300"), AddressPart::subdistrict);
  EXPECT_EQ(bundled().validate("10", "1001", "100199", "10200"), AddressPart::subdistrict);
}

TEST(ThaiAddressBook, ValidateNamesAPostcodeThatIsNotTheSubdistricts) {
  EXPECT_EQ(bundled().validate("10", "1001", "100101", "10300"), AddressPart::postcode);
  EXPECT_EQ(bundled().validate("11", "1106", "110601", "10540"), AddressPart::postcode);
  EXPECT_EQ(bundled().validate("10", "1001", "100101", ""), AddressPart::postcode);
  EXPECT_EQ(to_string(AddressPart::postcode), "postcode");
}

TEST(ThaiAddressBook, CopiesShareTheData) {
  // Copies are what is tested here, so clang-tidy's advice to avoid them does not apply.
  const SubdistrictPlace* place = nullptr;
  ThaiAddressBook copy = bundled();  // NOLINT(performance-unnecessary-copy-initialization)
  {
    ThaiAddressBook second = copy;  // NOLINT(performance-unnecessary-copy-initialization)
    place = second.subdistrict("100101");
  }
  ASSERT_NE(place, nullptr);
  EXPECT_EQ(place, copy.subdistrict("100101"));
  EXPECT_EQ(place->district->th, "พระนคร");
}

// A small data set written to a temporary directory, each file replaceable by a test.
class CraftedFiles : public ::testing::Test {
 protected:
  std::string provinces =
      "code\tth\ten\n"
      "10\tกรุงเทพมหานคร\tBangkok\n"
      "50\tเชียงใหม่\tChiang Mai\n";
  std::string districts =
      "code\tth\ten\n"
      "1001\tพระนคร\tPhra Nakhon\n"
      "5001\tเมืองเชียงใหม่\tMueang Chiang Mai\n";
  std::string subdistricts =
      "code\tpostcode\tth\ten\n"
      "100101\t10200\tพระบรมมหาราชวัง\tPhra Borom Maha Ratchawang\n"
      "500101\t50200\tศรีภูมิ\t\n";

  Result<ThaiAddressBook> load() {
    dir_.write("provinces.tsv", provinces);
    dir_.write("districts.tsv", districts);
    dir_.write("subdistricts.tsv", subdistricts);
    return ThaiAddressBook::load(dir_.path());
  }

  // The load's failure detail; fails the test if the files loaded.
  std::string problems() {
    auto loaded = load();
    EXPECT_FALSE(loaded.has_value()) << "the files loaded";
    return loaded ? std::string() : loaded.error().detail;
  }

  std::string file(std::string_view name) const { return (dir_ / name).string(); }

 private:
  test::TempDir dir_{"pratu-thai-address-"};
};

TEST_F(CraftedFiles, LoadsFilesThatNest) {
  auto loaded = load();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().detail;
  EXPECT_EQ(loaded->provinces().size(), 2u);
  EXPECT_EQ(loaded->validate("50", "5001", "500101", "50200"), std::nullopt);
}

TEST_F(CraftedFiles, RefusesADistrictWhoseProvinceIsMissing) {
  districts += "1101\tเมืองสมุทรปราการ\tMueang Samut Prakan\n";
  subdistricts += "110101\t10270\tปากน้ำ\tPak Nam\n";
  EXPECT_EQ(problems(),
            file("districts.tsv") + ":4: district 1101: its province 11 is not in provinces.tsv");
}

TEST_F(CraftedFiles, RefusesASubdistrictWhoseDistrictIsMissing) {
  subdistricts += "100201\t10300\tดุสิต\tDusit\n";
  EXPECT_EQ(problems(), file("subdistricts.tsv") +
                            ":4: subdistrict 100201: its district 1002 is not in districts.tsv");
}

TEST_F(CraftedFiles, RefusesACodeThatAppearsTwice) {
  subdistricts += "100101\t10200\tพระบรมมหาราชวัง\tPhra Borom Maha Ratchawang\n";
  EXPECT_EQ(problems(),
            file("subdistricts.tsv") + ":4: code 100101 appears again (first on line 2)");
}

TEST_F(CraftedFiles, RefusesACodeOfTheWrongLength) {
  districts += "501\tแม่ริม\tMae Rim\n";
  EXPECT_EQ(problems(), file("districts.tsv") + ":4: district code \"501\" is not 4 digits");
}

TEST_F(CraftedFiles, RefusesAPostcodeThatIsNotFiveDigits) {
  subdistricts += "500102\t5020\tศรีภูมิ\tSi Phum\n";
  EXPECT_EQ(problems(), file("subdistricts.tsv") + ":4: postcode \"5020\" is not 5 digits");
}

TEST_F(CraftedFiles, RefusesAProvinceWithoutDistricts) {
  provinces += "11\tสมุทรปราการ\tSamut Prakan\n";
  EXPECT_EQ(problems(), file("provinces.tsv") + ":4: province 11 has no district in districts.tsv");
}

TEST_F(CraftedFiles, RefusesADistrictWithoutSubdistricts) {
  districts += "1002\tดุสิต\tDusit\n";
  EXPECT_EQ(problems(),
            file("districts.tsv") + ":4: district 1002 has no subdistrict in subdistricts.tsv");
}

TEST_F(CraftedFiles, RefusesALineWithTheWrongNumberOfFields) {
  provinces += "11\tสมุทรปราการ\n";
  EXPECT_EQ(problems(), file("provinces.tsv") + ":4: 2 fields, not 3");
}

TEST_F(CraftedFiles, RefusesAnUnexpectedHeader) {
  subdistricts = "code\tth\ten\tpostcode\n100101\t10200\tพระบรมมหาราชวัง\tPhra\n";
  EXPECT_EQ(problems(), file("subdistricts.tsv") +
                            ":1: the header must be \"code\tpostcode\tth\ten\" (tab-separated)");
}

TEST_F(CraftedFiles, RefusesCarriageReturnsAndMissingNames) {
  provinces = "code\tth\ten\n10\tกรุงเทพมหานคร\tBangkok\r\n50\t\tChiang Mai\n";
  EXPECT_EQ(problems(), file("provinces.tsv") +
                            ":2: English name holds a control character (a carriage return?)\n" +
                            file("provinces.tsv") + ":3: Thai name is empty");
}

TEST_F(CraftedFiles, RefusesAMissingFile) {
  auto loaded = ThaiAddressBook::load(file("nowhere"));
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().detail.find("provinces.tsv"), std::string::npos)
      << loaded.error().detail;
}

}  // namespace
}  // namespace pratu::applications
