import ClinicCore
import Foundation

extension DemoClinic {
    /// The monitors `deeprelief simulate monitors` pretends to be: MSH-3 `MONITOR-<n>`, MSH-4 `DEEPRELIEF-SIM`, from
    /// 127.0.0.1, one at each demo chair.
    public static let simulatedFacility = "DEEPRELIEF-SIM"
    public static let demoChairCount = 6

    /// The infusion room: six chairs, each with a registered bedside monitor. The demo clinic is open around the clock
    /// so that the live room works whenever someone tries it.
    static func setUpRoom(_ clinic: Clinic, admin: Actor) async throws -> [Chair] {
        let tz = clinic.settings.timeZone
        var setup = try await clinic.clinicSetup(by: admin)
        let chairs = (1...demoChairCount).map {
            Chair(id: Chair.ID(UUID(uuidString: "C0FFEE00-0000-4000-8000-1000000000\($0 < 10 ? "0" : "")\($0)")!), name: "Chair \($0)")
        }
        setup.rooms = [Room(id: Room.ID(UUID(uuidString: "C0FFEE00-0000-4000-8000-000000000001")!), name: "Infusion room", chairs: chairs)]
        setup.hours = .same(OpeningHours(opens: 0, closes: 24 * 60), on: Weekday.allCases, timeZone: tz)
        setup = try await clinic.saveClinicSetup(setup, by: admin)
        for (n, chair) in chairs.enumerated() {
            _ = try await clinic.saveMonitorDevice(nil, MonitorDeviceForm(name: "Bedside monitor \(n + 1)", sourceAddress: "127.0.0.1",
                                                                          sendingApplication: "MONITOR-\(n + 1)", sendingFacility: simulatedFacility,
                                                                          chairID: chair.id.rawValue.uuidString), by: admin)
        }
        return chairs
    }

    /// Today's room: a patient infusing in each chair (checked in, checklist passed, infusion started), so the room
    /// board is live as soon as the simulator sends.
    static func fillRoom(_ clinic: Clinic, chairs: [Chair], physician: Actor, nurse: Actor, frontDesk: Actor, candidates: [Patient],
                         print: @Sendable (String) -> Void) async throws {
        let tz = clinic.settings.timeZone
        let setup = try await clinic.clinicSetup(by: nurse)
        let now = clinic.clock.now
        var seated = 0
        for patient in candidates where seated < chairs.count {
            guard let code = patient.clinical.diagnoses.first?.code.value, let weight = patient.body.weight else { continue }
            let plan = try await clinic.createPlan(for: patient.id, TreatmentPlanForm(conditionCode: code, protocolID: InfusionProtocol.StandardID.standardInduction.uuidString,
                                                                                       goal: "At least 30% less pain; fewer opioids"), by: physician)
            _ = try await clinic.signOrders(plan.id, by: physician)
            // Started a few minutes apart, so the board shows different elapsed times. The booked slot (infusion and
            // recovery) must lie within today: late in the evening it is booked earlier, just after midnight later, and
            // the session itself runs from now whatever the slot says (a late start, as happens).
            let today = CalendarDate(now, in: tz)
            let minutes = 40 + 60 + 1
            let earliest = setup.hours.instant(on: today, minute: 6 * seated)
            let latest = setup.hours.instant(on: today, minute: 24 * 60 - minutes - 6 * seated)
            let wanted = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 / 60).rounded(.down) - Double(5 + 6 * seated)) * 60)
            let start = min(max(wanted, earliest), latest)
            let date = CalendarDate(start, in: tz)
            let slot = ProposedSlot(index: 1, chair: chairs[seated].id, start: start, date: date, startMinute: setup.hours.minuteOfDay(of: start),
                                    infusionMinutes: 40, recoveryMinutes: 60)
            let booked: [Appointment]
            do {
                booked = try await clinic.bookSeries(for: plan.id, slots: [slot], by: frontDesk)
            } catch ClinicError.conflict {
                continue  // the chair is taken at that time: the next candidate tries it
            }
            guard let appointment = booked.first else { continue }
            let record = try await clinic.checkIn(appointment.id, by: nurse)
            let baseline = VitalsReading(takenAt: now.addingTimeInterval(-600), systolic: 118 + seated * 2, diastolic: 76 + seated,
                                         heartRate: 70 + seated * 2, oxygenSaturation: 98, respiratoryRate: 14)
            let checklist = PreInfusionChecklist(
                identityConfirmed: true, consentSignedOn: CalendarDate(now, in: tz).adding(days: -7),
                lastSolidFoodAt: now.addingTimeInterval(-6 * 3600), lastClearFluidAt: now.addingTimeInterval(-3 * 3600),
                escort: patient.escorts.first ?? EscortContact(name: "Family member", relationship: "Family", phone: "555 010 0000"),
                medicationChangesReviewed: true, pregnancy: .notPregnant, mentalStatus: "Alert, oriented, calm",
                weightToday: weight, weightConfirmed: true, ivSite: IVSiteCheck(site: "Left forearm", condition: .patent),
                baselineVitals: baseline)
            _ = try await clinic.recordChecklist(record.id, checklist, by: nurse)
            _ = try await clinic.startInfusion(record.id, rate: nil, second: nil, by: nurse)
            seated += 1
        }
        print("Demo room: \(seated) patients infusing in \(chairs.count) chairs, each with a registered bedside monitor "
              + "(127.0.0.1, MONITOR-1…\(chairs.count) / \(simulatedFacility)); the demo clinic is open around the clock. "
              + "Run `deeprelief simulate monitors --chairs \(chairs.count)` and open /board.")
    }
}
