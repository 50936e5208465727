import Foundation
import Testing
@testable import ClinicCore

@Suite("SearchKey (DESIGN §8: lower-cased, diacritics folded, the same on SQLite and PostgreSQL)")
struct SearchKeyTests {
    @Test("names fold to a lower-case ASCII-like key", arguments: [
        ("José García-López", "jose garcia lopez"),
        ("ZOË Müller", "zoe muller"),
        ("O'Brien", "o brien"),
        ("O’Brien", "o brien"),
        ("Nguyễn", "nguyen"),
        ("Strauß", "strauss"),
        ("STRASSE", "strasse"),
        ("Đặng Thị", "dang thi"),
        ("Łukasz Øster", "lukasz oster"),
        ("Ægir", "aegir"),
        ("François", "francois"),
        ("  Ana   María  ", "ana maria"),
        ("Ｊｏｓｅ", "jose"),
        ("Mary-Jane  van der Berg", "mary jane van der berg"),
    ])
    func folds(_ name: String, _ key: String) {
        // given / when / then
        #expect(SearchKey.make(name) == key)
    }

    @Test("spellings with and without accents meet on one key")
    func accentInsensitive() {
        // given / when / then
        #expect(SearchKey.make("JOSÉ GARCÍA") == SearchKey.make("jose garcia"))
        #expect(SearchKey.make("Müller") == SearchKey.make("Muller"))
    }

    @Test("an empty or punctuation-only name gives an empty key")
    func emptyKey() {
        // given / when / then
        #expect(SearchKey.make("") == "")
        #expect(SearchKey.make(" - ' ") == "")
    }

    @Test("the chart's search key is built from given and family names")
    func demographicsSearchKey() {
        // given
        let demographics = Demographics(givenName: "Zoë", familyName: "García-López",
                                        dateOfBirth: CalendarDate(year: 1980, month: 5, day: 17)!, sex: .female)

        // when / then
        #expect(demographics.searchKey == "zoe garcia lopez")
        #expect(demographics.sortName == "García-López, Zoë")
        #expect(demographics.displayName == "Zoë García-López")
    }
}

@Suite("Phone digits (duplicate detection and search)")
struct PhoneDigitsTests {
    @Test("keeps digits only and drops a leading US country code", arguments: [
        ("+1 (555) 010-2000", "5550102000"),
        ("555.010.2000", "5550102000"),
        ("15550102000", "5550102000"),
        ("5550102000", "5550102000"),
        ("+44 20 7946 0958", "442079460958"),
        ("010-2000", "0102000"),
        ("", ""),
        ("٥٥٥٠١٠٢٠٠٠", ""),
    ])
    func digits(_ text: String, _ digits: String) {
        // given / when / then
        #expect(Phone.digits(text) == digits)
    }

    @Test("contact details expose the phone's digits")
    func contactDigits() {
        // given
        let contact = ContactDetails(phone: "+1 (555) 010-2000")

        // when / then
        #expect(contact.phoneDigits == "5550102000")
    }
}

@Suite("MRN (DR- and seven digits)")
struct MRNTests {
    @Test("a sequence number becomes DR- and seven digits")
    func fromSequence() {
        // given / when / then
        #expect(MRN(sequence: 12).value == "DR-0000012")
        #expect(MRN(sequence: 1).description == "DR-0000001")
        #expect(MRN(sequence: 9_999_999).value == "DR-9999999")
    }

    @Test("parses case-insensitively and trims spaces", arguments: ["dr-0000012", "DR-0000012", " Dr-0000012 "])
    func parses(_ text: String) {
        // given / when / then
        #expect(MRN(text) == MRN(sequence: 12))
    }

    @Test("rejects other shapes", arguments: ["DR-000012", "DR-00000123", "XR-0000012", "DR-00000a2", "DR0000012", "DR-０000012", "", "DR-"])
    func rejects(_ text: String) {
        // given / when / then
        #expect(MRN(text) == nil)
    }

    @Test("every MRN the clinic generates parses back")
    func generatedMRNsParse() {
        // given
        let mrn = MRN(sequence: 10_000_000)

        // when / then
        #expect(MRN(mrn.value) == mrn)
    }

    @Test("orders by number and round-trips through JSON as a string")
    func orderingAndJSON() throws {
        // given
        let mrns = [MRN(sequence: 10), MRN(sequence: 9)]

        // when
        let json = try JSONEncoder().encode(mrns)
        let decoded = try JSONDecoder().decode([MRN].self, from: json)

        // then
        #expect(mrns.sorted() == [MRN(sequence: 9), MRN(sequence: 10)])
        #expect(String(decoding: json, as: UTF8.self) == #"["DR-0000010","DR-0000009"]"#)
        #expect(decoded == mrns)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([MRN].self, from: Data(#"["DR-12"]"#.utf8)) }
    }
}
