#include "domains/applications/document_path.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace pratu::applications {
namespace {

namespace json = boost::json;

Field field(std::string id, FieldType type, std::vector<Field> fields = {}) {
  Field f;
  f.id = std::move(id);
  f.type = type;
  f.fields = std::move(fields);
  return f;
}

Form form() {
  Page page;
  page.id = "p";
  page.fields = {field("card", FieldType::document), field("name", FieldType::text),
                 field("signs", FieldType::group,
                       {field("name", FieldType::text), field("photo", FieldType::document)})};
  Form f;
  f.pages.push_back(std::move(page));
  return f;
}

const json::object kAnswers = json::parse(R"({
  "card": {"blob": "a", "name": "card.pdf"},
  "signs": [{"_key": "k1", "name": "front"},
            {"_key": "k2", "photo": {"blob": "b", "name": "back.png"}}]
})")
                                  .as_object();

TEST(DocumentPath, ReadsAQuestionOrAQuestionOfAGroupItem) {
  auto plain = parse_document_path("card");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->question, "card");
  EXPECT_TRUE(plain->item.empty());
  auto nested = parse_document_path("signs.k2.photo");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->question, "signs");
  EXPECT_EQ(nested->item, "k2");
  EXPECT_EQ(nested->field, "photo");
  EXPECT_EQ(nested->text(), "signs.k2.photo");
  for (std::string_view bad : {"", ".", "a.b", "a..c", "a.b.c.d", ".b.c", "a.b.", "card."}) {
    EXPECT_FALSE(parse_document_path(bad)) << bad;
  }
}

TEST(DocumentPath, NamesOnlyDocumentQuestions) {
  const Form f = form();
  EXPECT_NE(document_question(f, *parse_document_path("card")), nullptr);
  EXPECT_NE(document_question(f, *parse_document_path("signs.any.photo")), nullptr);
  EXPECT_EQ(document_question(f, *parse_document_path("name")), nullptr);
  EXPECT_EQ(document_question(f, *parse_document_path("signs")), nullptr);
  EXPECT_EQ(document_question(f, *parse_document_path("signs.k1.name")), nullptr);
  EXPECT_EQ(document_question(f, *parse_document_path("card.k1.photo")), nullptr);
  EXPECT_EQ(document_question(f, *parse_document_path("nowhere")), nullptr);
}

TEST(DocumentPath, FindsTheAnswerInItsItem) {
  EXPECT_EQ(answer_at(kAnswers, *parse_document_path("card"))->at("name"), "card.pdf");
  EXPECT_EQ(answer_at(kAnswers, *parse_document_path("signs.k2.photo"))->at("name"), "back.png");
  EXPECT_EQ(answer_at(kAnswers, *parse_document_path("signs.k1.photo")), nullptr);
  EXPECT_EQ(answer_at(kAnswers, *parse_document_path("signs.k9.photo")), nullptr);
  EXPECT_EQ(answer_at(kAnswers, *parse_document_path("other")), nullptr);
}

TEST(DocumentPath, ChangesOneItemAndKeepsTheOthers) {
  auto set = change_at(kAnswers, *parse_document_path("signs.k1.photo"), json::value("x"));
  ASSERT_TRUE(set);
  const auto& items = set->at("signs").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].at("photo"), "x");
  EXPECT_EQ(items[0].at("name"), "front");
  EXPECT_EQ(items[1], kAnswers.at("signs").as_array()[1]);

  auto removed = change_at(kAnswers, *parse_document_path("signs.k2.photo"), nullptr);
  ASSERT_TRUE(removed);
  EXPECT_FALSE(removed->at("signs").as_array()[1].as_object().contains("photo"));

  EXPECT_FALSE(change_at(kAnswers, *parse_document_path("signs.k9.photo"), json::value("x")));
  EXPECT_EQ(*change_at(kAnswers, *parse_document_path("card"), nullptr),
            (json::object{{"card", nullptr}}));
}

TEST(DocumentPath, AttachedFileIsOnlyAStoredBlobOfAnAcceptedKind) {
  const std::string sha(64, 'c');
  auto file = attached_file(json::parse(R"({"blob": ")" + sha +
                                        R"(", "name": "a.pdf", "media_type": "application/pdf"})"));
  ASSERT_TRUE(file);
  EXPECT_EQ(file->sha256, sha);
  EXPECT_EQ(file->name, "a.pdf");
  EXPECT_FALSE(attached_file(json::parse(R"({"blob": "../x", "media_type": "image/png"})")));
  EXPECT_FALSE(
      attached_file(json::parse(R"({"blob": ")" + sha + R"(", "media_type": "text/html"})")));
  EXPECT_FALSE(attached_file(json::parse(R"({"blob": ")" + sha + R"("})")));
  EXPECT_FALSE(attached_file(json::value("card.pdf")));
}

}  // namespace
}  // namespace pratu::applications
