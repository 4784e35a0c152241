#pragma once
/// Small PDFs made with libqpdf for the signing tests: pages with an uncompressed content
/// stream each, written with a classic cross-reference table (object streams off), as the
/// PDF/A renderer writes them.

#ifndef POINTERHOLDER_TRANSITION
#define POINTERHOLDER_TRANSITION 4  // qpdf 11 with std::shared_ptr only
#endif

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include <string>

namespace pratu::test {

/// What the sample holds.
struct SamplePdf {
  int pages = 1;
  bool info = false;            // an /Info dictionary with a title
  bool acroform = false;        // an AcroForm with one text field already
  bool object_streams = false;  // written with a cross-reference stream instead
};

/// The PDF `sample` describes.
inline std::string sample_pdf(const SamplePdf& sample = {}) {
  QPDF pdf;
  pdf.emptyPDF();
  auto font = pdf.makeIndirectObject(QPDFObjectHandle::parse(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"));
  for (int i = 1; i <= sample.pages; ++i) {
    auto contents = pdf.newStream("BT /F1 24 Tf 72 720 Td (Licence page " + std::to_string(i) +
                                  " of the sample) Tj ET\n");
    auto page = pdf.makeIndirectObject(
        QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 595 842] >>"));
    auto fonts = QPDFObjectHandle::newDictionary();
    fonts.replaceKey("/F1", font);
    auto resources = QPDFObjectHandle::newDictionary();
    resources.replaceKey("/Font", fonts);
    page.replaceKey("/Resources", resources);
    page.replaceKey("/Contents", contents);
    pdf.addPage(page, false);
  }
  if (sample.info) {
    pdf.getTrailer().replaceKey("/Info",
                                pdf.makeIndirectObject(QPDFObjectHandle::parse(
                                    "<< /Title (Sample licence) /Producer (Pratu tests) >>")));
  }
  if (sample.acroform) {
    auto field = pdf.makeIndirectObject(QPDFObjectHandle::parse(
        "<< /FT /Tx /T (Remarks) /V (none) /Type /Annot /Subtype /Widget /Rect [0 0 0 0] >>"));
    auto page = pdf.getAllPages().front();
    field.replaceKey("/P", page);
    page.replaceKey("/Annots", QPDFObjectHandle::newArray({field}));
    auto form = QPDFObjectHandle::parse("<< /DA (/Helv 0 Tf 0 g) >>");
    form.replaceKey("/Fields", QPDFObjectHandle::newArray({field}));
    pdf.getRoot().replaceKey("/AcroForm", pdf.makeIndirectObject(form));
  }
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setObjectStreamMode(sample.object_streams ? qpdf_o_generate : qpdf_o_disable);
  writer.setStaticID(true);          // the same bytes each run
  writer.setCompressStreams(false);  // page text a test can find and change
  writer.write();
  auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

}  // namespace pratu::test
