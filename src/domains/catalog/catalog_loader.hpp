#pragma once
/// Reads the catalogue-as-code (services/agencies/<code>.yaml, services/<agency>/<slug>.yaml),
/// validating every field; the format is described in docs/catalogue.md.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domains/catalog/catalog.hpp"
#include "platform/earned_features.hpp"

namespace pratu::catalog {

/// One problem in one file: "services/dbd/x.yaml: fees[1].amount: must be ...".
struct LoadProblem {
  std::string file;
  std::string field;  // path inside the file, empty for the file as a whole
  std::string message;

  /// "file: field: message".
  std::string to_string() const;
};

/// Collects files, then checks what spans files (agency codes exist, slugs are unique).
class CatalogLoader {
 public:
  /// Parses an agency file; `file` names it in problems and must end in "<code>.yaml".
  void add_agency(const std::string& file, std::string_view yaml);
  /// Parses a service file; `file` must be "<...>/<agency>/<slug>.yaml".
  void add_service(const std::string& file, std::string_view yaml);
  /// Records a problem found outside the parser (an unreadable file, a stray file).
  void add_problem(LoadProblem problem);
  /// Takes over what `other` read (files read in parallel), after what this one read.
  void append(CatalogLoader&& other);

  /// The catalogue, or an invalid_input error whose detail lists every problem, one a line.
  Result<Catalog> finish();
  /// Every problem found so far.
  const std::vector<LoadProblem>& problems() const { return problems_; }

 private:
  Catalog catalog_;
  std::vector<LoadProblem> problems_;
};

/// Loads every file under `services_dir`. Problems name files relative to the directory's
/// parent ("services/dbd/commercial-registration.yaml").
Result<Catalog> load_catalog(const std::filesystem::path& services_dir);

/// Marks in `catalog` what modules run for its services: a form earns the e-Form criterion
/// and the online channel. Fails naming the module when it runs something for a service the
/// catalogue lacks, or names no criterion.
Result<void> apply_earned(Catalog& catalog, const platform::EarnedFeatures& earned);

}  // namespace pratu::catalog
