// libFuzzer target: document templates (services/<agency>/<slug>/document.yaml), checked
// against the company certificate's real form and workflow, read from services/ (run from the
// repository root, as run.sh does). Whatever the bytes, the loader answers a template or a
// list of problems, never crashes or hangs; a template it accepts is issued in a state of the
// workflow, names its holder, is written in Thai, and shows only questions of the form.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/files.hpp"
#include "domains/applications/document_loader.hpp"
#include "domains/applications/form_loader.hpp"
#include "domains/applications/workflow_loader.hpp"

namespace {

namespace app = pratu::applications;

struct Service {
  pratu::platform::ServiceInfo info;
  app::Form form;
  app::Workflow workflow;
};

const Service& service() {
  static const Service loaded = [] {
    pratu::platform::ServiceInfo info{"company-certificate",
                                      "dbd",
                                      "หนังสือรับรอง",
                                      "Company certificate",
                                      1,
                                      {},
                                      "services/dbd/company-certificate.yaml",
                                      {}};
    // The fee its workflow bills on approval (the catalogue's, per copy).
    pratu::platform::ServiceFee certificate;
    certificate.code = "certificate";
    certificate.amount_satang = 4'000;
    certificate.quantity_of = "${copies}";
    info.fees.push_back(certificate);
    const std::string dir = "services/dbd/company-certificate/";
    auto form_text = pratu::read_file(dir + "form.yaml");
    auto workflow_text = pratu::read_file(dir + "workflow.yaml");
    if (!form_text || !workflow_text) std::abort();  // not run from the repository root
    auto form = app::parse_form(*form_text, dir + "form.yaml", info);
    auto workflow = app::parse_workflow(*workflow_text, dir + "workflow.yaml", info);
    if (!form || !workflow) std::abort();
    return Service{info, std::move(*form), std::move(*workflow)};
  }();
  return loaded;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Service& s = service();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto document = app::parse_document_template(
      input, "services/dbd/company-certificate/document.yaml", s.info, s.form, s.workflow);
  if (document) {
    if (s.workflow.state(document->issued_in) == nullptr) std::abort();
    if (document->holder.name.empty() || document->fields.empty()) std::abort();
    if (!document->written_in(pratu::web::Locale::th)) std::abort();
    if (document->title.th.empty() || document->signatory.th.empty()) std::abort();
    for (const auto& field : document->fields) {
      const auto dot = field.answer.find('.');
      if (s.form.field(field.answer.substr(0, dot)).second == nullptr) std::abort();
    }
  } else if (document.error().detail.empty()) {
    std::abort();  // a refusal always says why
  }
  return 0;
}
