import ClinicCore
import Foundation

/// Fills an empty database with a realistic synthetic clinic: staff of every role, patients across the conditions of
/// clinical-reference §8 with varied histories, and every screening outcome. All names and numbers are invented.
public enum DemoClinic {
    /// Demo staff: one account per staff role (the admin exists already).
    static let staff: [(String, String, Role)] = [
        ("dr.reyes@deeprelief.local", "Dr. Ana Reyes", .physician),
        ("nurse.okafor@deeprelief.local", "Chidi Okafor, RN", .nurse),
        ("nurse.adams@deeprelief.local", "Sam Adams, RN", .nurse),
        ("frontdesk.lee@deeprelief.local", "Jamie Lee", .frontDesk),
        ("billing.novak@deeprelief.local", "Petra Novák", .billing),
    ]

    /// `histories` caps how many patients get a replayed past course (default: a quarter of them, at most `historyLimit`).
    public static func fill(_ clinic: Clinic, patients count: Int, histories maxHistories: Int? = nil, print: @Sendable (String) -> Void) async throws {
        let existing = try await clinic.store.read { try await $0.searchPatients(PatientQuery(limit: 1)).total }
        guard existing == 0 else {
            print("Demo: the database already has patients; nothing added.")
            return
        }
        // Demo staff are added by the clinic's own administrator, so the audit trail names a real account.
        guard let admin = try await clinic.store.read({ try await $0.users() }).first(where: { $0.role == .admin }) else {
            throw ClinicError.notFound("administrator account for the demo")
        }
        let system = Actor(userID: admin.id, role: .admin, client: "demo")
        let password = EnvironmentConfig().string("deeprelief.demo.password") ?? PasswordGenerator.make(length: 16)
        var physician: Actor?
        var nurse: Actor?
        var nurses: [Actor] = []
        var frontDesk: Actor?
        for (email, name, role) in staff {
            let user = try await clinic.createUser(NewUserForm(email: email, displayName: name, role: role.rawValue, password: password),
                                                   by: system, mustChangePassword: false)
            if role == .physician { physician = Actor(userID: user.id, role: .physician, client: "demo") }
            if role == .nurse {
                nurses.append(Actor(userID: user.id, role: .nurse, client: "demo"))
                if nurse == nil { nurse = nurses.last }
            }
            if role == .frontDesk { frontDesk = Actor(userID: user.id, role: .frontDesk, client: "demo") }
        }
        // The demo nurse is on shift 08:00–18:00 on the clinic's weekdays for the next 60 days, so series can be booked.
        // Today both demo nurses cover the whole day (six occupied chairs need two at 1 per 4: clinical-reference §3).
        for d in 0..<60 {
            let day = clinic.today.adding(days: d)
            if d == 0 {
                for n in nurses { _ = try await clinic.addShift(nurse: n.userID, date: day, start: 0, end: 24 * 60, by: system) }
            } else if !day.weekday.isWeekend {
                _ = try await clinic.addShift(nurse: nurse!.userID, date: day, start: 8 * 60, end: 18 * 60, by: system)
            }
        }
        try await configureBilling(clinic, admin: system, physician: physician!)
        let chairs = try await setUpRoom(clinic, admin: system)
        try await addPastShifts(clinic, nurse: nurse!, admin: system, days: 200)
        var rng = SeededGenerator(seed: 20261125)
        let start = Date()
        var roomCandidates: [Patient] = []
        var histories = 0
        // The last patient is the demo's self-pay patient (see `setUpSelfPay`).
        for i in 0..<max(0, count - 1) {
            let form = makePatient(i, &rng, today: clinic.today)
            if hasHistory(i) && histories < (maxHistories ?? historyLimit) {
                histories += 1
                let replayed = try await replayHistory(index: i, form: form, clinic: clinic, physician: physician!, nurse: nurse!, frontDesk: frontDesk!, rng: &rng)
                if histories == 1, let replayed { try await signNecessityLetter(clinic, patient: replayed, physician: physician!) }
                continue
            }
            guard case .registered(let p) = try await clinic.registerPatient(form, by: physician!) else { continue }
            try await screen(p, index: i, clinic: clinic, nurse: nurse!, physician: physician!, rng: &rng)
            if roomCandidates.count < 2 * demoChairCount,
               case .eligible? = try await clinic.screeningStatus(of: p.id, by: physician!) {
                roomCandidates.append(p)
            }
            if count >= 1000 && i > 0 && i % 1000 == 0 { print("Demo: \(i) patients…") }
        }
        try await fillRoom(clinic, chairs: chairs, physician: physician!, nurse: nurse!, frontDesk: frontDesk!, candidates: roomCandidates, print: print)
        try await stockRegister(clinic, nurse: nurse!, witnessEmail: staff[0].0, password: password)
        if count > 0 { try await setUpSelfPay(clinic, admin: system, physician: physician!, frontDesk: frontDesk!) }
        print("""
        Demo clinic ready: \(count) synthetic patients in \(Int(Date().timeIntervalSince(start))) s, \(histories) of them with a past course \
        of infusions and follow-up (see /analytics).
        Demo sign-ins (password for all: \(password)):
        \(staff.map { "  \($0.2.title.padding(toLength: 12, withPad: " ", startingAt: 0)) \($0.0)" }.joined(separator: "\n"))
          Administrator as printed at first start (or DEEPRELIEF_ADMIN_PASSWORD).
        """)
    }

    static let givenNames = ["María", "José", "Zoë", "Liam", "Aisha", "Chen", "Olivia", "Mateo", "Fatima", "Noah", "Ingrid", "Dmitri",
                             "Amélie", "Kwame", "Priya", "Søren", "Lucía", "Hiroshi", "Grace", "Tomás", "Nadia", "Ethan", "Renée", "Yusuf"]
    static let familyNames = ["García", "Nguyễn", "Müller", "O'Brien", "Smith", "Kowalski", "Okonkwo", "Patel", "Johansson", "Rossi",
                              "Dubois", "Kim", "Hernández", "Cohen", "Walker", "Ivanova", "Silva", "Andersen", "Brown", "Yamamoto",
                              "Martínez", "Schröder", "Thompson", "Haddad"]
    static let treatments = ["Physical therapy", "Gabapentin", "Pregabalin", "Duloxetine", "Nerve block", "Spinal cord stimulator trial",
                             "Cognitive behavioural therapy", "Amitriptyline", "Acupuncture", "Botulinum toxin injections", "Topiramate"]

    static func makePatient(_ i: Int, _ rng: inout SeededGenerator, today: CalendarDate) -> PatientForm {
        var f = PatientForm()
        f.givenName = givenNames[Int.random(in: 0..<givenNames.count, using: &rng)]
        f.familyName = familyNames[Int.random(in: 0..<familyNames.count, using: &rng)]
        let age = Int.random(in: 22...78, using: &rng)
        let dob = CalendarDate(year: today.year - age, month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng))!
        f.dateOfBirth = dob.description
        f.sex = ["female", "male", "female", "other"][Int.random(in: 0..<4, using: &rng)]
        f.phone = String(format: "(555) %03d-%04d", 100 + i % 900, (i * 7919) % 10000)
        f.email = "patient\(i)@example.org"
        f.address = "\(10 + i % 990) Demo Street, Springfield"
        f.escorts = i % 9 == 0 ? [] : [EscortContact(name: "\(givenNames[(i + 5) % givenNames.count]) \(f.familyName)", relationship: ["Spouse", "Daughter", "Friend", "Son"][i % 4],
                                                     phone: String(format: "(555) %03d-%04d", 200 + i % 700, (i * 104729) % 10000))]
        let kg = Double(Int.random(in: 52...118, using: &rng))
        if i % 3 == 0 {
            f.weight = Format.decimal(kg / 0.45359237, places: 0)
            f.weightUnit = "lb"
        } else {
            f.weight = Format.decimal(kg, places: 1)
            f.weightUnit = "kg"
        }
        f.height = String(Int.random(in: 152...192, using: &rng))
        let condition = ChronicPainCondition.allCases[i % ChronicPainCondition.allCases.count]
        f.diagnoses = [PatientForm.DiagnosisEntry(code: condition.code.value, description: condition.title, isPrimary: true)]
        if i % 5 == 0 { f.diagnoses.append(.init(code: "G89.4", description: "Chronic pain syndrome")) }
        switch i % 6 {
        case 0: f.medications = [.init(name: "Oxycodone 10 mg", opioid: "oxycodone", route: "oral", dailyAmount: "30", sig: "10 mg three times a day")]
        case 1: f.medications = [.init(name: "Gabapentin 300 mg", sig: "three times a day"),
                                 .init(name: "Tramadol 50 mg", opioid: "tramadol", route: "oral", dailyAmount: "200", sig: "50 mg four times a day")]
        case 2: f.medications = [.init(name: "Fentanyl 25 µg/h patch", opioid: "fentanylPatch", route: "transdermal", dailyAmount: "25", sig: "change every 72 h")]
        case 3: f.medications = [.init(name: "Buprenorphine 10 µg/h patch", opioid: "buprenorphine", route: "transdermal", dailyAmount: "10", sig: "weekly")]
        case 4: f.medications = [.init(name: "Duloxetine 60 mg", sig: "once daily")]
        default: f.medications = []
        }
        if i % 7 == 0 { f.allergies = [Allergy(substance: "Penicillin", reaction: "rash")] }
        if i % 47 == 13 { f.allergies.append(Allergy(substance: "Ketamine", reaction: "anaphylaxis")) }
        let months = Int.random(in: 6...180, using: &rng)
        f.monthsOfPain = String(months)
        f.painOnset = today.adding(days: -months * 30).description
        let tried = Int.random(in: 1...4, using: &rng)
        f.treatmentsTried = (0..<tried).map { k in
            .init(treatment: treatments[(i + k * 3) % treatments.count], result: ["noRelief", "partialRelief", "notTolerated", "noRelief"][(i + k) % 4])
        }
        f.confirmDuplicate = true
        f.confirmWeight = true
        return f
    }

    /// Screens most patients so that every outcome appears: eligible, needs clearance (then cleared and signed off for
    /// some), not eligible, incomplete, overridden; some stay unscreened.
    static func screen(_ p: Patient, index i: Int, clinic: Clinic, nurse: Actor, physician: Actor, rng: inout SeededGenerator) async throws {
        let kind = i % 10
        if kind == 9 { return } // not screened yet
        let t0 = clinic.clock.now.addingTimeInterval(-Double(Int.random(in: 1...60, using: &rng)) * 86_400)
        var sys = Int.random(in: 112...138, using: &rng)
        var dia = Int.random(in: 68...86, using: &rng)
        var form = ScreeningForm(cardiovascular: CardiovascularStatus.none, psychosis: PsychosisStatus.none, hepatic: HepaticStatus.none,
                                 heavyAlcoholUse: false, raisedIntracranialPressure: false, raisedIntraocularPressure: false,
                                 activeSubstanceAbuse: false, pregnancy: p.demographics.sex == .male ? .notApplicable : .notPregnant,
                                 ketamineHypersensitivity: false, priorKetamineExposure: false, notes: "")
        switch kind {
        case 1: form.cardiovascular = .stableKnownDisease                  // needs cardiology clearance
        case 2: sys = 166; dia = 96                                          // needs blood-pressure clearance
        case 3: form.psychosis = .poorlyControlled                          // not eligible
        case 4: form.hepatic = .moderate                                     // needs liver tests
        case 5: form.activeSubstanceAbuse = nil                             // incomplete
        case 6: form.priorKetamineExposure = true; form.priorSevereKetamineReaction = true  // physician review
        case 7: sys = 184; dia = 104                                         // not eligible until treated
        default: break
        }
        form.bloodPressureReadings = [
            BloodPressureReading(systolic: sys, diastolic: dia, takenAt: t0, seated: true),
            BloodPressureReading(systolic: sys + 2, diastolic: dia - 1, takenAt: t0.addingTimeInterval(360), seated: true),
        ]
        if kind == 5 && i % 20 == 5 { form.bloodPressureReadings.removeLast() }
        let s = try await clinic.screen(p.id, form: form, by: nurse)
        // Clear and sign off only where the rules asked for that clearance (a charted ketamine allergy makes some of
        // these patients not eligible instead).
        if kind == 1 && i % 20 == 1 && s.evaluation.requiredClearances.contains(.cardiology) {
            let c = ClearanceForm(kind: .cardiology, specialty: "Cardiology", clinician: "Dr. Demo Cardiologist",
                                  date: clinic.today.adding(days: -2), note: "Stable; no contraindication to low-dose ketamine.")
            _ = try await clinic.decide(.recordClearance(c), on: s.id, by: nurse)
            _ = try await clinic.decide(.signOff(.cardiology), on: s.id, by: physician)
        }
        if kind == 4 && i % 20 == 4 && s.lifecycle.effectiveDecision != .notEligible {
            _ = try await clinic.decide(.override(.eligible, reason: "Liver tests reviewed: ALT/AST within normal limits."), on: s.id, by: physician)
        }
    }
}

/// A small deterministic generator (SplitMix64) so the demo clinic is the same every time.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49EB_133D_7FE1
        return z ^ (z >> 31)
    }
}
