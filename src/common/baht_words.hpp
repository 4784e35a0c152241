#pragma once
/// Amounts of money in words, as a receipt writes them under the figures (payments.md §5):
/// "หนึ่งพันห้าร้อยบาทถ้วน", "One thousand five hundred baht only". Integer satang in, no
/// floating point, defined for every int64.

#include <cstdint>
#include <string>

namespace pratu {

/// `satang` in Thai words, the way npm bahttext 2.4 (and Google Sheets' BAHTTEXT) writes them,
/// as payments.md §5.3 chooses:
/// * ล้าน repeats for each group of six digits: 10¹² baht is หนึ่งล้านล้าน;
/// * 10 is สิบ, 20–29 start ยี่สิบ;
/// * a units 1 is เอ็ด after a non-zero tens digit (สิบเอ็ด, ยี่สิบเอ็ดล้าน) and, in the
///   groups before ล้าน, after zeros too (หนึ่งร้อยเอ็ดล้าน, ห้าพันเอ็ดล้าน); it stays หนึ่ง
///   as the first digit (หนึ่งล้าน) and after a zero in the last group (หนึ่งร้อยหนึ่งบาท);
/// * whole baht end บาทถ้วน, otherwise …บาท…สตางค์; satang alone omit บาท (ห้าสิบสตางค์);
///   zero is ศูนย์บาทถ้วน.
/// A negative amount is prefixed ลบ, as bahttext writes it (num2words' ติดลบ is the other
/// choice, §5.2): receipts refuse negatives before they get here (§5.3), and a total function
/// lets other documents, such as a refund summary, show one.
std::string baht_words(std::int64_t satang);

/// `satang` in English words for an English receipt: the number in lower case without "and"
/// or commas, tens and units hyphenated, short scale (thousand, million, billion, trillion,
/// quadrillion), the first letter capitalised; "baht" and "satang" never take a plural.
/// * whole baht end "baht only": "One thousand five hundred baht only";
/// * with satang, "baht and … satang": "One hundred twenty-one baht and fifty satang";
/// * satang alone: "Fifty satang"; zero: "Zero baht only";
/// * a negative amount starts "Minus", as baht_words starts ลบ: "Minus five baht and fifty satang".
std::string baht_words_en(std::int64_t satang);

}  // namespace pratu
