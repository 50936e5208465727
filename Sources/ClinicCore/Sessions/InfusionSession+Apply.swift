import Foundation

extension InfusionSession {
    /// Refuses an event of this kind in the current state, with the same words `apply` uses.
    public func requireAccepts(_ kind: SessionEvent.Kind) throws {
        guard !state.isFinal else {
            throw ClinicError.conflict("This session is \(state.title) and finished: nobody can change it; add an amendment instead.")
        }
        guard kind.allowedStates.contains(state) else {
            throw ClinicError.conflict("\(kind.requirement(in: state)) (session is \(state.title)).")
        }
    }

    /// Applies one event at `at` by `actor`: refuses it with `ClinicError.conflict` naming the current state and what is
    /// needed when the workflow does not allow it, or with `ClinicError.invalid` when its values are not acceptable;
    /// otherwise records it (and any change of state) with the time and who.
    public mutating func apply(_ event: SessionEvent, at: Date, by actor: User.ID) throws {
        let kind = event.kind
        try requireAccepts(kind)
        try requireTimeOrder(at)

        switch event {
        case .checkIn:
            transition(to: .checkedIn, at: at, by: actor)

        case .checklistRecorded(let result):
            _ = try result.form.validated(at: at)
            if result.evaluatedAt > at { throw ClinicError.invalid("evaluatedAt", "A checklist cannot be evaluated after it is recorded.") }
            checklists.append(SessionEntry(result, at: at, by: actor))
            if result.passed, state == .checkedIn {
                transition(to: .ready, at: at, by: actor)
            } else if !result.passed, state == .ready {
                transition(to: .checkedIn, at: at, by: actor, reason: "The latest pre-infusion checklist did not pass.")
            }

        case .preparationRecorded(let record):
            preparations.append(SessionEntry(try record.validated(), at: at, by: actor))

        case .started(let rate):
            try requirePositive(rate, field: "rate")
            rateHistory.append(RateEvent(.started(rate), at: at, by: actor))
            transition(to: .infusing, at: at, by: actor)

        case .rateChanged(let rate, let reason, let confirmedBy):
            var errors = FieldErrors()
            if rate.microgramsPerHour <= 0 { errors.add("rate", "Must be more than 0 mg/h; pause or stop the infusion instead.") }
            else if rate == currentRate { errors.add("rate", "The infusion already runs at \(rate).") }
            let why = Self.check(reason, field: "reason", required: "Required: every dose change has its reason.", into: &errors)
            if confirmedBy == actor { errors.add("confirmedBy", "The confirming clinician must be a second person, not the one changing the rate.") }
            try errors.throwIfAny()
            rateHistory.append(RateEvent(.rateChanged(to: rate, reason: why, confirmedBy: confirmedBy), at: at, by: actor))

        case .paused(let reason):
            let why = try Self.text(reason, field: "reason", required: nil)
            rateHistory.append(RateEvent(.paused(reason: why), at: at, by: actor))
            transition(to: .paused, at: at, by: actor, reason: why.isEmpty ? nil : why)

        case .resumed:
            rateHistory.append(RateEvent(.resumed, at: at, by: actor))
            transition(to: .infusing, at: at, by: actor)

        case .infusionCompleted:
            rateHistory.append(RateEvent(.completed, at: at, by: actor))
            recoveryPhase = .monitoredChair
            transition(to: .recovering, at: at, by: actor)

        case .stoppedEarly(let reason):
            let why = try Self.text(reason, field: "reason", required: "Required: why the infusion was stopped early.")
            rateHistory.append(RateEvent(.stopped(reason: why), at: at, by: actor))
            stoppedEarlyReason = why
            recoveryPhase = .monitoredChair
            transition(to: .recovering, at: at, by: actor, reason: why)

        case .transferred(let reason):
            let why = try Self.text(reason, field: "reason", required: "Required: why the patient was sent to emergency care.")
            // The emergency action also stops a running or paused infusion, and the stop is recorded in the rate history.
            if state == .infusing || state == .paused {
                rateHistory.append(RateEvent(.stopped(reason: "Transferred to emergency care: \(why)"), at: at, by: actor))
            }
            transferReason = why
            transition(to: .transferred, at: at, by: actor, reason: why)

        case .vitalsRecorded(let reading):
            vitals.append(SessionEntry(try reading.validated(notAfter: at), at: at, by: actor))

        case .ivSiteChecked(let check):
            ivSiteChecks.append(SessionEntry(try check.validated(), at: at, by: actor))

        case .sedationScored(let score):
            sedationScores.append(SessionEntry(try score.validated(), at: at, by: actor))

        case .dissociationScored(let form):
            dissociationScores.append(SessionEntry(try form.validated(), at: at, by: actor))

        case .sideEffectObserved(let effect):
            sideEffects.append(SessionEntry(try effect.validated(notAfter: at), at: at, by: actor))

        case .deviationDocumented(let deviation):
            let checked = try deviation.validated()
            if checked.occurredAt > at { throw ClinicError.invalid("deviation.occurredAt", "A deviation cannot be documented before it happens.") }
            deviations.append(SessionEntry(checked, at: at, by: actor))

        case .responseNoted(let note):
            responseNotes.append(SessionEntry(try Self.text(note, field: "note", required: "Required: the note."), at: at, by: actor))

        case .aldreteRecorded(let score):
            aldreteScores.append(SessionEntry(try score.validated(), at: at, by: actor))

        case .leftChair:
            guard recoveryPhase == .monitoredChair else {
                throw ClinicError.conflict("The patient has already left the monitored chair (session is \(state.title)).")
            }
            guard let latest = latestAldrete, latest.allowsLeavingChair else {
                let found = latestAldrete.map { "the latest is \($0.total)" } ?? "none is recorded"
                throw ClinicError.conflict("Leaving the monitored chair needs a modified Aldrete score of \(ModifiedAldrete.leaveChairThreshold) or more (Aldrete 1995): \(found) (session is \(state.title)).")
            }
            leftChair = SessionEntry(latest, at: at, by: actor)
            recoveryPhase = .leftChair

        case .padssRecorded(let score):
            guard recoveryPhase == .leftChair else {
                throw ClinicError.conflict("A PADSS is recorded after the patient has left the monitored chair with a modified Aldrete score of \(ModifiedAldrete.leaveChairThreshold) or more (session is \(state.title), in the monitored chair).")
            }
            padssScores.append(SessionEntry(try score.validated(), at: at, by: actor))

        case .discharged(let escortName, let instructions):
            let checkedInstructions = try instructions.validated()
            let escort = escortName.trimmingCharacters(in: .whitespacesAndNewlines)
            var missing: [String] = []
            if let aldrete = latestAldrete, aldrete.allowsLeavingChair {} else {
                missing.append("a modified Aldrete score of \(ModifiedAldrete.leaveChairThreshold) or more (\(latestAldrete.map { "latest \($0.total)" } ?? "none recorded"))")
            }
            if recoveryPhase != .leftChair { missing.append("the patient leaving the monitored chair") }
            if let padss = latestPADSS, padss.allowsGoingHome {} else {
                missing.append("a PADSS of \(PADSS.goHomeThreshold) or more (\(latestPADSS.map { "latest \($0.total)" } ?? "none recorded"))")
            }
            if escort.isEmpty { missing.append("the escort confirmed present, by name") }
            if escort.count > Self.maximumTextLength { throw ClinicError.invalid("escortName", "Must be at most \(Self.maximumTextLength) characters.") }
            guard missing.isEmpty, let aldrete = latestAldrete, let padss = latestPADSS else {
                throw ClinicError.conflict("The patient cannot be discharged yet; missing: \(missing.joined(separator: "; ")) (session is \(state.title); Aldrete 1995, Chung PADSS, clinical-reference §6).")
            }
            discharge = SessionEntry(DischargeRecord(escortName: escort, instructions: checkedInstructions, aldrete: aldrete, padss: padss),
                                     at: at, by: actor)
            transition(to: .discharged, at: at, by: actor)

        case .noShow:
            transition(to: .noShow, at: at, by: actor)

        case .cancelled(let reason):
            let why = try Self.text(reason, field: "reason", required: "Required: why the session was cancelled.")
            transition(to: .cancelled, at: at, by: actor, reason: why)
        }
    }

    /// Adds an amendment to a finished session; the only change a finished session accepts.
    public mutating func amend(_ text: String, at: Date, by actor: User.ID) throws {
        guard state.isFinal else {
            throw ClinicError.conflict("Amendments are added only to a finished session; record the change itself instead (session is \(state.title)).")
        }
        let checked = try Self.text(text, field: "text", required: "Required: the amendment.")
        try requireTimeOrder(at)
        amendments.append(Amendment(text: checked, at: at, by: actor))
    }

    // MARK: - Helpers

    private mutating func transition(to next: SessionState, at: Date, by actor: User.ID, reason: String? = nil) {
        transitions.append(SessionTransition(from: state, to: next, at: at, by: actor, reason: reason))
        state = next
    }

    private func requireTimeOrder(_ at: Date) throws {
        if let last = lastRecordedAt, at < last {
            throw ClinicError.invalid("at", "Entries are recorded in time order: this one is earlier than the last entry of the session.")
        }
    }

    private func requirePositive(_ rate: DoseRate, field: String) throws {
        if rate.microgramsPerHour <= 0 { throw ClinicError.invalid(field, "Must be more than 0 mg/h.") }
    }

    /// Trims `value`; requires it when `required` is given; limits its length.
    private static func text(_ value: String, field: String, required: String?) throws -> String {
        var errors = FieldErrors()
        let trimmed = check(value, field: field, required: required, into: &errors)
        try errors.throwIfAny()
        return trimmed
    }

    private static func check(_ value: String, field: String, required: String?, into errors: inout FieldErrors) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let required, trimmed.isEmpty { errors.add(field, required) }
        if trimmed.count > maximumTextLength { errors.add(field, "Must be at most \(maximumTextLength) characters.") }
        return trimmed
    }
}
