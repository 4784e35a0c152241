#pragma once
/// The applicant's side of an application: start a draft (prefilled from the profile), save
/// answers as they go, submit exactly once, list and read their own. Every call names the
/// person; an application that is not theirs is not found, whether or not it exists.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.hpp"
#include "common/result.hpp"
#include "common/shared_calendar.hpp"
#include "domains/applications/application.hpp"
#include "domains/applications/document_path.hpp"
#include "domains/applications/form.hpp"
#include "domains/applications/form_evaluation.hpp"
#include "domains/applications/thai_address.hpp"
#include "domains/applications/workflow.hpp"
#include "platform/profile_directory.hpp"
#include "platform/service_directory.hpp"
#include "storage/database.hpp"

namespace pratu::applications {

/// The `applications` configuration section.
struct ApplicationsSettings {
  std::string address_data = "datasets/thai-address";  // provinces, districts, subdistricts
  std::string holidays = "datasets/holidays/th-government.yaml";
  int keep_draft_days = 90;       // a draft untouched this long may be deleted...
  int warn_days = 14;             // ...once its applicant was told this many days before
  int max_drafts = 20;            // drafts one applicant may hold at once
  int upload_max_mib = 20;        // the largest upload (Tus-Max-Size)
  int upload_pdf_max_mib = 10;    // the largest PDF kept
  int upload_image_max_mib = 5;   // the largest JPEG or PNG kept
  int max_open_uploads = 10;      // unfinished uploads one applicant may hold at once
  int open_uploads_max_mib = 60;  // what one applicant's unfinished uploads may declare in all
  int upload_expiry_hours = 24;   // an unfinished upload is removed this long after it began
  int upload_chunk_mib = 0;       // what a page sends in one PATCH; 0: each file whole
  std::string qpdf = "qpdf";      // the qpdf program that checks PDFs
};

using Forms = std::map<std::string, Form, std::less<>>;

/// A submission's outcome.
/// The service's form is no longer offered (its form was removed): `code` is not_found where
/// nothing was started yet, conflict where a draft exists.
inline Error service_closed(ErrorCode code = ErrorCode::conflict) {
  return Error{code, "applications.errors.service_closed", "service", {}, 0};
}

/// A profile detail a submitted application gave differently from the profile, which the
/// applicant may take into it: only the mobile number (platform::ProfileDirectory::set_mobile).
struct ProfileOffer {
  const Field* field = nullptr;  // the question that asked it
  boost::json::value answer;     // as answered
  boost::json::value current;    // what the profile holds, as the question keeps it
};

struct Submitted {
  Application application;
  bool now = false;        // this call submitted it; false: it had been submitted before
  bool same_key = false;   // the call carried the key of the submit that won
  std::string incomplete;  // not submitted: the changes were saved, this page lacks answers
};

/// An amendment's outcome: saved, or (with problems) nothing saved and `application` holding
/// the answers as given, so that the page shows them again with what is wrong.
struct Amended {
  Application application;
  std::vector<AnswerProblem> problems;
  std::vector<std::string> changed;  // the questions whose answers it changed
};

class ApplicationService {
 public:
  ApplicationService(storage::Database& db, const Clock& clock, Random& random, const Forms& forms,
                     const Workflows& workflows, const platform::ServiceDirectory& services,
                     const ThaiAddressBook* addresses, const SharedCalendar& calendar,
                     platform::ProfileDirectory* profiles, ApplicationsSettings settings);

  /// `user_id`'s draft of `service`: the one they already have, else a new one with the
  /// profile's answers filled in. not_found when the service takes no applications online.
  Result<Application> start(std::int64_t user_id, std::string_view service);
  /// A renewal of `previous` (`user_id`'s submitted application whose document `number` has a
  /// term): a new draft of the same service starting from its answers, that renews `number`.
  /// conflict when the person already has a draft of the service (it is theirs to finish or
  /// delete first: nothing typed is overwritten).
  Result<Application> start_renewal(std::int64_t user_id, const Application& previous,
                                    std::string_view number);
  /// The application `public_id` if it is `user_id`'s; not_found otherwise.
  Result<Application> find(std::int64_t user_id, std::string_view public_id);
  /// Sets the answers in `changes` (a null erases one) on `user_id`'s draft; `revision`, when
  /// given, must be the draft's (conflict otherwise: another device saved since).
  Result<Application> save(std::int64_t user_id, std::string_view public_id,
                           const boost::json::object& changes,
                           std::optional<std::int64_t> revision = std::nullopt);
  /// The same, on `read`, the draft as the caller just found it for `user_id`: when nobody
  /// saved it since, one UPDATE guarded by its revision (nothing read or locked inside the
  /// write); otherwise as above.
  Result<Application> save(std::int64_t user_id, const Application& read,
                           const boost::json::object& changes,
                           std::optional<std::int64_t> revision = std::nullopt);
  /// Submits the draft, once: all or nothing in one transaction, durable when it returns. A
  /// repeat returns the application as first submitted. Fails with invalid_input
  /// (applications.errors.incomplete) while an asked question lacks a valid answer.
  /// `changes` (the declaration ticked with the submit) are saved in the same transaction, so
  /// a submission costs one commit; when they leave the draft incomplete they are saved all
  /// the same and the result names the first incomplete page in `incomplete` instead.
  Result<Submitted> submit(std::int64_t user_id, std::string_view public_id, std::string_view key,
                           const boost::json::object& changes = {});
  /// The mobile number submitted application `a` gave, when it differs from `user_id`'s profile.
  Result<std::optional<ProfileOffer>> profile_offer(std::int64_t user_id, const Application& a);
  /// Takes that number into the profile; conflict when there is none to take (already taken,
  /// or the application is still a draft).
  Result<void> accept_profile_offer(std::int64_t user_id, std::string_view public_id);
  /// Changes answers of `user_id`'s submitted application `read` (as the caller just found it)
  /// that the agency asked to have changed: every key of `changes` must be in `asked`
  /// (applications.errors.amend_not_asked otherwise). The whole form is checked again with
  /// them; with problems nothing is saved. Saved only if nobody changed the application since
  /// `read` (conflict: applications.errors.step_changed_meanwhile), with an "amended" event
  /// on the timeline that keeps the answers it replaced.
  Result<Amended> amend(std::int64_t user_id, const Application& read,
                        const boost::json::object& changes, const std::vector<std::string>& asked);
  /// `user_id`'s applications, the latest change first.
  Result<std::vector<Application>> list(std::int64_t user_id, std::optional<Status> status = {},
                                        int limit = 200);
  Result<std::vector<TimelineEvent>> timeline(const Application& application);
  /// The file attached at document question `path` of `user_id`'s application `public_id`,
  /// a draft or submitted: not_found (applications.errors.document_missing) alike when the
  /// application is not theirs, its form is gone, `path` names no document question of it or
  /// nothing is attached there.
  Result<AttachedFile> attached(std::int64_t user_id, std::string_view public_id,
                                std::string_view path);
  /// The same on application `a` as already found (by whoever may read it: the agency's
  /// officers read it through WorkflowService::find_for).
  Result<AttachedFile> attached_to(const Application& a, std::string_view path);

  /// The form of `service`, or nullptr when it has none (any more).
  const Form* form(std::string_view service) const;
  /// The application's answers evaluated against its service's current form.
  FormEvaluation evaluate(const Form& form, const boost::json::object& answers) const;
  /// The civil date in Thailand now.
  std::chrono::year_month_day today() const;
  /// When an untouched draft may be deleted.
  std::int64_t deletable_after(const Application& draft) const;

  /// Housekeeping: tells applicants of drafts about to go (an outbox message each) and deletes
  /// those told long enough ago. Returns the drafts deleted.
  Result<std::int64_t> sweep_drafts();

  const ApplicationsSettings& settings() const { return settings_; }
  const ThaiAddressBook* addresses() const { return addresses_; }

  /// What else a submission does in its transaction, once the application is in its
  /// workflow's first state: an initial state that bills opens its bill (WorkflowService).
  using OnSubmitted =
      std::function<Result<void>(storage::Connection&, const Application&, std::int64_t)>;
  void on_submitted(OnSubmitted then) { on_submitted_ = std::move(then); }

 private:
  Result<boost::json::object> prefilled(const Form& form, std::int64_t user_id);
  /// How many of an applicant's latest submitted applications a reused answer is looked for in.
  static constexpr int kReuseLookback = 50;

  storage::Database& db_;
  const Clock& clock_;
  Random& random_;
  const Forms& forms_;
  const Workflows& workflows_;
  const platform::ServiceDirectory& services_;
  const ThaiAddressBook* addresses_;
  const SharedCalendar& calendar_;  // replaced as the holidays change
  platform::ProfileDirectory* profiles_;
  ApplicationsSettings settings_;
  OnSubmitted on_submitted_;
};

}  // namespace pratu::applications
