#pragma once
/// What a signed e-receipt (ใบเสร็จรับเงินอิเล็กทรอนิกส์) looks like and what data it carries
/// (docs/adr/0027; shared/reference/payments.md §3): its page, laid out for the pdf layer from
/// the payments module's ReceiptContent, in Thai with English beneath, every word from
/// locales/<th|en>/documents.yaml (documents.receipt); and the XML embedded in it, shaped as
/// ETDA's e-Tax Receipt (ขมธอ. 3-2560, T01) with Pratu's payment details in an extension
/// (schemas: docs/schemas/receipt/receipt-rsm.xsd). No I/O.

#include <string>

#include "domains/documents/issued_document.hpp"
#include "pdf/layout.hpp"
#include "platform/document_source.hpp"
#include "platform/receipts.hpp"
#include "web/render.hpp"

namespace pratu::documents {

/// The namespace of the embedded XML's root (ETDA's Receipt_CrossIndustryInvoice 2.0).
inline constexpr const char* kReceiptNamespace =
    "urn:etda:uncefact:data:standard:Receipt_CrossIndustryInvoice:2";
/// The namespace of ETDA's reusable aggregates, the `ram:` elements.
inline constexpr const char* kReceiptAggregatesNamespace =
    "urn:etda:uncefact:data:standard:Receipt_ReusableAggregateBusinessInformationEntity:2";
/// The namespace of Pratu's extension (`pr:Payment`): the bill, the bank and the words.
inline constexpr const char* kReceiptExtensionNamespace = "urn:pratu:receipt:1";
/// The embedded XML file's name.
inline constexpr const char* kReceiptDataFileName = "pratu-receipt.xml";

/// Everything one receipt shows.
struct ReceiptFacts {
  const platform::ReceiptContent& receipt;
  const IssuedDocument& document;   // number, code, issued_at, valid_from (the day issued)
  std::string verify_url;           // where its QR code leads
  platform::BilingualText agency;   // the receiving agency's name
  platform::BilingualText service;  // the service's name
};

/// The receipt's page: Thai first, English beneath each label and value. A cancelled receipt
/// draws the same: a signed receipt is never drawn again; /verify shows the cancellation.
pdf::Layout receipt_layout(const ReceiptFacts& facts, const web::Translations& t);

/// The receipt's data as XML (UTF-8), the file embedded in the PDF: amounts from satang in
/// integers, "1500.00".
std::string receipt_xml(const ReceiptFacts& facts);

}  // namespace pratu::documents
