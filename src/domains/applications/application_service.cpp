#include "domains/applications/application_service.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "common/civil_date.hpp"
#include "domains/applications/answer_input.hpp"
#include "domains/applications/application_repository.hpp"
#include "domains/applications/reference_number.hpp"
#include "platform/notices.hpp"

namespace pratu::applications {

namespace json = boost::json;

namespace {

constexpr std::int64_t kDay = 24 * 3600;
constexpr int kBuddhistEraOffset = 543;

Error not_found() {
  return Error{ErrorCode::not_found, "applications.errors.not_found", "application", {}, 0};
}

// True if `id` is a question of `form` whose answer comes locked from the verified profile
// and `answers` holds it: nobody changes it, whatever a page or a client sends.
bool locked_answer(const Form* form, const json::object& answers, std::string_view id) {
  if (form == nullptr) return false;
  const json::value* held = answers.if_contains(id);
  if (held == nullptr || held->is_null()) return false;
  for (const Page& page : form->pages) {
    for (const Field& field : page.fields) {
      if (field.id == id) return field.locked;
    }
  }
  return false;
}

// Sets each answer in `changes` on `answers`; a null erases one. A locked answer `answers`
// holds stays as it is (JSON Schema's readOnly: a value sent for it is ignored).
void merge(const Form* form, json::object& answers, const json::object& changes) {
  for (const auto& [id, value] : changes) {
    if (locked_answer(form, answers, id)) continue;
    if (value.is_null()) {
      answers.erase(id);
    } else {
      answers[id] = value;
    }
  }
}

// What the profile holds for `field`, as the answer is kept; null when nothing fits.
json::value profile_answer(const Field& field, const platform::Profile& p) {
  auto text = [](const std::string& s) { return s.empty() ? json::value() : json::value(s); };
  switch (*field.prefill) {
    case ProfileField::title:
      // Only a code the question offers.
      return field.choice(p.title) != nullptr ? json::value(p.title) : json::value();
    case ProfileField::given_name: return text(p.given_name);
    case ProfileField::family_name: return text(p.family_name);
    case ProfileField::national_id: return text(p.national_id);
    case ProfileField::email: return text(p.email);
    case ProfileField::mobile: {
      if (field.type != FieldType::phone) return text(p.mobile);
      auto e164 = parse_thai_phone(p.mobile);
      return e164 ? json::value(*e164) : json::value();
    }
  }
  return {};
}

}  // namespace

ApplicationService::ApplicationService(storage::Database& db, const Clock& clock, Random& random,
                                       const Forms& forms, const Workflows& workflows,
                                       const platform::ServiceDirectory& services,
                                       const ThaiAddressBook* addresses,
                                       const SharedCalendar& calendar,
                                       platform::ProfileDirectory* profiles,
                                       ApplicationsSettings settings)
    : db_(db),
      clock_(clock),
      random_(random),
      forms_(forms),
      workflows_(workflows),
      services_(services),
      addresses_(addresses),
      calendar_(calendar),
      profiles_(profiles),
      settings_(std::move(settings)) {}

const Form* ApplicationService::form(std::string_view service) const {
  auto it = forms_.find(service);
  return it == forms_.end() ? nullptr : &it->second;
}

std::chrono::year_month_day ApplicationService::today() const {
  return thai_date(clock_.now_seconds());
}

FormEvaluation ApplicationService::evaluate(const Form& form, const json::object& answers) const {
  return FormEvaluation(form, answers, today(), addresses_);
}

std::int64_t ApplicationService::deletable_after(const Application& draft) const {
  return draft.updated_at + std::int64_t{settings_.keep_draft_days} * kDay;
}

Result<json::object> ApplicationService::prefilled(const Form& form, std::int64_t user_id) {
  json::object answers;
  if (profiles_ == nullptr) return answers;
  PRATU_TRY(profile, profiles_->profile(user_id));
  if (!profile) return answers;
  bool reused = false;
  for (const auto& [page, field] : form.fields()) {
    reused = reused || !field->reuse.empty();
    if (!field->prefill) continue;
    auto value = profile_answer(*field, *profile);
    if (!value.is_null()) answers[field->id] = std::move(value);
  }
  if (!reused) return answers;
  // A question common to several services is asked once: the answer last submitted to any of
  // them, from the applicant's latest applications. The answers of the applications whose form
  // asks one of the questions are read a few to a query, the latest first, until no question
  // is open.
  std::vector<const Field*> open;
  for (const auto& [page, field] : form.fields()) {
    if (!field->reuse.empty()) open.push_back(field);
  }
  // The field of `other` that asks what `field` asks (the last, if it asks it twice).
  auto same_in = [](const Form& other, const Field& field) {
    const Field* same = nullptr;
    for (const auto& [other_page, f] : other.fields()) {
      if (f->reuse == field.reuse && f->type == field.type) same = f;
    }
    return same;
  };
  PRATU_CHECK(db_.read([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(earlier, repository::submitted_of(c, user_id, kReuseLookback));
    std::vector<std::pair<std::int64_t, const Form*>> asking;  // the latest first
    for (const auto& e : earlier) {
      const Form* other = this->form(e.service);
      if (other != nullptr && std::any_of(open.begin(), open.end(), [&](const Field* f) {
            return same_in(*other, *f) != nullptr;
          })) {
        asking.emplace_back(e.id, other);
      }
    }
    // Usually the latest one answers it: that one is read alone, then the next few, then the
    // rest, so a question nobody answered costs three queries rather than one per application.
    std::size_t next = 0;
    for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, asking.size()}) {
      if (open.empty() || next >= asking.size()) break;
      const std::size_t end = std::min(asking.size(), next + chunk);
      std::vector<std::int64_t> ids;
      for (std::size_t i = next; i < end; ++i) ids.push_back(asking[i].first);
      PRATU_TRY(texts, repository::answer_texts_of(c, ids));
      for (; next < end && !open.empty(); ++next) {
        const auto& [id, other] = asking[next];
        auto text = texts.find(id);
        if (text == texts.end()) continue;
        boost::system::error_code ec;
        auto parsed = json::parse(text->second, ec);
        if (ec || !parsed.is_object()) continue;
        const json::object& given = parsed.as_object();
        std::erase_if(open, [&, other = other](const Field* field) {
          const Field* same = same_in(*other, *field);
          const auto* answer = same != nullptr ? given.if_contains(same->id) : nullptr;
          if (answer == nullptr || answer->is_null()) return false;
          answers[field->id] = *answer;
          return true;
        });
      }
    }
    return ok();
  }));
  return answers;
}

Result<Application> ApplicationService::start(std::int64_t user_id, std::string_view service) {
  const Form* f = form(service);
  if (f == nullptr) {
    return service_closed(ErrorCode::not_found);
  }
  // Read before the write transaction: the profile comes from another module.
  PRATU_TRY(answers, prefilled(*f, user_id));
  const std::int64_t now = clock_.now_seconds();
  return db_.write_value<Application>([&](storage::Connection& c) -> Result<Application> {
    PRATU_TRY(existing, repository::find_draft(c, user_id, service));
    if (existing) return std::move(*existing);
    PRATU_TRY(count, c.query_one("SELECT COUNT(*) FROM applications "
                                 "WHERE user_id = $1 AND status = 'draft'",
                                 {user_id}));
    if (count && count->int64(0) >= settings_.max_drafts) {
      return Error{ErrorCode::conflict, "applications.errors.too_many_drafts", "drafts", {}, 0};
    }
    Application a;
    a.public_id = random_.token(16);
    a.user_id = user_id;
    a.service = f->service;
    a.agency = f->agency;
    a.form_version = f->version;
    a.answers = answers;
    a.created_at = a.updated_at = now;
    PRATU_TRY(id, repository::insert_application(c, a));
    a.id = id;
    PRATU_CHECK(repository::add_event(c, id, now, "started"));
    return a;
  });
}

Result<Application> ApplicationService::start_renewal(std::int64_t user_id,
                                                      const Application& previous,
                                                      std::string_view number) {
  const Form* f = form(previous.service);
  if (f == nullptr || previous.user_id != user_id || previous.status != Status::submitted) {
    return service_closed(ErrorCode::not_found);
  }
  const std::int64_t now = clock_.now_seconds();
  return db_.write_value<Application>([&](storage::Connection& c) -> Result<Application> {
    PRATU_TRY(existing, repository::find_draft(c, user_id, previous.service));
    if (existing) {
      return Error{ErrorCode::conflict, "applications.errors.renewal_draft_exists", "draft", {}, 0};
    }
    Application a;
    a.public_id = random_.token(16);
    a.user_id = user_id;
    a.service = f->service;
    a.agency = f->agency;
    a.form_version = f->version;
    a.answers = previous.answers;  // what the licence was granted on, to check and change
    a.renews = std::string(number);
    a.created_at = a.updated_at = now;
    PRATU_TRY(id, repository::insert_application(c, a));
    a.id = id;
    PRATU_CHECK(repository::add_event(c, id, now, "started"));
    return a;
  });
}

Result<Application> ApplicationService::find(std::int64_t user_id, std::string_view public_id) {
  PRATU_TRY(found, db_.read_value<std::optional<Application>>([&](storage::Connection& c) {
    return repository::find_application(c, public_id);
  }));
  if (!found || found->user_id != user_id) return not_found();
  return std::move(*found);
}

Result<Application> ApplicationService::save(std::int64_t user_id, std::string_view public_id,
                                             const json::object& changes,
                                             std::optional<std::int64_t> revision) {
  const std::int64_t now = clock_.now_seconds();
  return db_.write_value<Application>([&](storage::Connection& c) -> Result<Application> {
    PRATU_TRY(found, repository::find_application(c, public_id, true));
    if (!found || found->user_id != user_id) return not_found();
    Application a = std::move(*found);
    if (a.status != Status::draft) {
      return Error{
          ErrorCode::conflict, "applications.errors.already_submitted", "application", {}, 0};
    }
    if (revision && *revision != a.revision) {
      return Error{ErrorCode::conflict, "applications.errors.saved_elsewhere", "revision", {}, 0};
    }
    merge(form(a.service), a.answers, changes);
    PRATU_TRY(changed, repository::update_answers(c, a.id, a.answers, a.revision, now));
    if (changed != 1) return Error::internal("applications: a locked draft changed under a save");
    ++a.revision;
    a.updated_at = now;
    return a;
  });
}

Result<Application> ApplicationService::save(std::int64_t user_id, const Application& read,
                                             const json::object& changes,
                                             std::optional<std::int64_t> revision) {
  const bool current = read.user_id == user_id && read.status == Status::draft &&
                       (!revision || *revision == read.revision);
  if (current) {
    const std::int64_t now = clock_.now_seconds();
    Application a = read;
    merge(form(a.service), a.answers, changes);
    auto saved = db_.write_value<bool>([&](storage::Connection& c) -> Result<bool> {
      PRATU_TRY(changed, repository::update_answers(c, a.id, a.answers, a.revision, now));
      return changed == 1;
    });
    if (!saved) return saved.error();
    if (*saved) {
      ++a.revision;
      a.updated_at = now;
      return a;
    }
  }
  // Saved or submitted since it was read (or not the caller's): the locked path says which.
  return save(user_id, read.public_id, changes, revision);
}

Result<Amended> ApplicationService::amend(std::int64_t user_id, const Application& read,
                                          const json::object& changes,
                                          const std::vector<std::string>& asked) {
  if (read.user_id != user_id) return not_found();
  if (read.status == Status::draft) {
    return Error{ErrorCode::conflict, "applications.errors.not_submitted", "application", {}, 0};
  }
  for (const auto& [id, value] : changes) {
    if (std::find(asked.begin(), asked.end(), std::string_view(id)) == asked.end()) {
      return Error::invalid({{std::string(id), "applications.errors.amend_not_asked"}});
    }
  }
  const Form* f = form(read.service);
  if (f == nullptr) return service_closed();
  Amended out{read, {}, {}};
  Application& a = out.application;
  json::object previous;
  for (const auto& [id, value] : changes) {
    if (locked_answer(f, read.answers, id)) continue;  // merge keeps it
    const json::value* before = read.answers.if_contains(id);
    if (before != nullptr ? *before == value : value.is_null()) continue;
    out.changed.emplace_back(id);
    previous[id] = before != nullptr ? *before : json::value();
  }
  merge(f, a.answers, changes);
  // The whole form again, as at submission: a changed answer may ask a question it did not.
  FormEvaluation evaluation(*f, a.answers, today(), addresses_);
  out.problems = evaluation.problems();
  if (!out.problems.empty() || out.changed.empty()) return out;
  a.answers = evaluation.pruned();

  const std::int64_t now = clock_.now_seconds();
  TimelineEvent event;
  event.kind = "amended";
  event.from_state = a.state;
  event.to_state = a.state;
  event.actor_role = "applicant";
  event.actor_user_id = user_id;
  json::array items;
  for (const auto& id : out.changed) items.push_back(json::value(id));
  event.detail["items"] = std::move(items);
  event.detail["previous"] = std::move(previous);
  auto saved = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(changed, repository::amend_answers(c, a, a.answers, now));
    if (changed != 1) {
      return Error{
          ErrorCode::conflict, "applications.errors.step_changed_meanwhile", "revision", {}, 0};
    }
    return repository::add_transition_event(c, a.id, now, event);
  });
  if (!saved) return saved.error();
  ++a.revision;
  a.updated_at = now;
  return out;
}

Result<Submitted> ApplicationService::submit(std::int64_t user_id, std::string_view public_id,
                                             std::string_view key, const json::object& changes) {
  const std::int64_t now = clock_.now_seconds();
  const auto date = thai_date(now);
  return db_.write_value<Submitted>([&](storage::Connection& c) -> Result<Submitted> {
    PRATU_TRY(found, repository::find_application(c, public_id, true));
    if (!found || found->user_id != user_id) return not_found();
    Submitted out{std::move(*found), false, false, {}};
    Application& a = out.application;
    if (a.status != Status::draft) {
      out.same_key = !key.empty() && a.submission_key == key;
      return out;
    }
    const Form* f = form(a.service);
    const auto workflow = workflows_.find(a.service);
    if (f == nullptr || workflow == workflows_.end()) {
      return service_closed();
    }
    if (!changes.empty()) {
      merge(f, a.answers, changes);
      PRATU_TRY(changed, repository::update_answers(c, a.id, a.answers, a.revision, now));
      if (changed != 1) return Error::internal("applications: a locked draft changed under submit");
      ++a.revision;
      a.updated_at = now;
    }
    // From scratch against the form as it is now: never against an older version.
    FormEvaluation evaluation(*f, a.answers, date, addresses_);
    if (const Page* page = evaluation.first_incomplete()) {
      if (changes.empty()) {
        return Error{ErrorCode::invalid_input, "applications.errors.incomplete", page->id, {}, 0};
      }
      out.incomplete = page->id;  // committed: what was ticked is kept
      return out;
    }
    const int year = static_cast<int>(date.year()) + kBuddhistEraOffset;
    PRATU_TRY(sequence, repository::next_sequence(c, a.agency, year));
    a.reference = reference_number(a.agency, year, sequence);
    a.answers = evaluation.pruned();
    a.form_version = f->version;
    a.submitted_at = now;
    a.submission_key = std::string(key);
    // It enters its workflow's first state, under the workflow's version of today.
    a.workflow_version = workflow->second.version;
    a.state = workflow->second.initial;
    a.state_since = now;
    const auto* info = services_.service(a.service);
    if (info != nullptr && info->time_limit_working_days > 0) {
      // A limit past the years the calendar covers gives no date rather than a guess.
      if (auto due = calendar_.add_working_days(date, info->time_limit_working_days)) {
        a.due_date = iso_date(due->date);
        a.due_date_provisional = due->provisional;
      }
    }
    PRATU_TRY(changed, repository::mark_submitted(c, a));
    if (changed != 1) return Error::internal("applications: a locked draft changed under submit");
    PRATU_CHECK(repository::add_event(c, a.id, now, "submitted"));
    a.status = Status::submitted;
    a.updated_at = now;
    ++a.revision;
    if (on_submitted_) PRATU_CHECK(on_submitted_(c, a, now));
    out.now = true;
    out.same_key = true;
    return out;
  });
}

Result<std::optional<ProfileOffer>> ApplicationService::profile_offer(std::int64_t user_id,
                                                                      const Application& a) {
  std::optional<ProfileOffer> none;
  const Form* f = form(a.service);
  if (a.status == Status::draft || f == nullptr || profiles_ == nullptr) return none;
  PRATU_TRY(profile, profiles_->profile(user_id));
  if (!profile) return none;
  for (const auto& page : f->pages) {
    for (const auto& field : page.fields) {
      if (!field.prefill || *field.prefill != ProfileField::mobile) continue;
      const auto* answer = a.answers.if_contains(field.id);
      if (answer == nullptr || !answer->is_string() || answer->get_string().empty()) continue;
      auto current = profile_answer(field, *profile);
      if (*answer != current) return ProfileOffer{&field, *answer, std::move(current)};
    }
  }
  return none;
}

Result<void> ApplicationService::accept_profile_offer(std::int64_t user_id,
                                                      std::string_view public_id) {
  PRATU_TRY(a, find(user_id, public_id));
  PRATU_TRY(offer, profile_offer(user_id, a));
  if (!offer) {
    return Error{ErrorCode::conflict, "applications.errors.nothing_to_update", "profile", {}, 0};
  }
  return profiles_->set_mobile(user_id, offer->answer.get_string());
}

Result<std::vector<Application>> ApplicationService::list(std::int64_t user_id,
                                                          std::optional<Status> status, int limit) {
  return db_.read_value<std::vector<Application>>([&](storage::Connection& c) {
    return repository::applications_of(c, user_id, status, limit);
  });
}

Result<std::vector<TimelineEvent>> ApplicationService::timeline(const Application& application) {
  return db_.read_value<std::vector<TimelineEvent>>(
      [&](storage::Connection& c) { return repository::events(c, application.id); });
}

Result<AttachedFile> ApplicationService::attached(std::int64_t user_id, std::string_view public_id,
                                                  std::string_view path) {
  // One answer for every miss, so that nobody learns whether another's application exists.
  const Error missing{
      ErrorCode::not_found, "applications.errors.document_missing", "document", {}, 0};
  auto found = find(user_id, public_id);
  if (!found) return found.error().code == ErrorCode::not_found ? missing : found.error();
  return attached_to(*found, path);
}

Result<AttachedFile> ApplicationService::attached_to(const Application& a, std::string_view path) {
  const Error missing{
      ErrorCode::not_found, "applications.errors.document_missing", "document", {}, 0};
  const auto parsed = parse_document_path(path);
  const Form* f = form(a.service);
  // Only a document question's answer, which Pratu wrote from the applicant's own wallet,
  // names a file that is theirs; any other answer is the client's word.
  if (!parsed || f == nullptr || document_question(*f, *parsed) == nullptr) return missing;
  const json::value* answer = answer_at(a.answers, *parsed);
  auto file = answer != nullptr ? attached_file(*answer) : std::nullopt;
  if (!file) return missing;
  return std::move(*file);
}

Result<std::int64_t> ApplicationService::sweep_drafts() {
  const std::int64_t now = clock_.now_seconds();
  const std::int64_t keep = std::int64_t{settings_.keep_draft_days} * kDay;
  const std::int64_t warn = std::int64_t{settings_.warn_days} * kDay;
  auto told = db_.write([&](storage::Connection& c) -> Result<void> {
    PRATU_TRY(stale, repository::drafts_to_warn(c, now - (keep - warn), 500));
    for (const auto& draft : stale) {
      PRATU_TRY(claimed, repository::mark_warned(c, draft.id, now));
      if (claimed != 1) continue;  // another node told them
      // The notifier tells the applicant; nothing personal but whom and which draft.
      json::object payload{{"user_id", draft.user_id},
                           {"application", draft.public_id},
                           {"service", draft.service},
                           {"deleted_after", draft.updated_at + keep}};
      PRATU_CHECK(platform::notify(c, "applications.draft_expiring", payload, now));
    }
    return ok();
  });
  if (!told) return told.error();
  return db_.write_value<std::int64_t>(
      [&](storage::Connection& c) { return repository::delete_drafts(c, now - keep, now - warn); });
}

}  // namespace pratu::applications
