import Foundation

/// Messages written for these tests (not copied from any licensed sample).
enum SampleMessages {
    /// An IHE PCD-01 style ORU^R01 from a bedside-monitor gateway: MDC codes and MDC_DIM units, an
    /// MDS device row (unmapped), numeric vitals with OBX-14 times, a respiratory rate without OBX-14
    /// (falls back to OBR-7) and EtCO₂ in kPa.
    static let pcd01 = [
        #"MSH|^~\&|BEDSIDE_GW^0123456789ABCDEF^EUI-64|RELIEF_CLINIC|DEEPRELIEF|RELIEF_CLINIC|20260315143005+0000||ORU^R01^ORU_R01|MSG00042|P|2.6|||NE|AL||UNICODE UTF-8|||IHE_PCD_001^IHE PCD^1.3.6.1.4.1.19376.1.6.1.1.1^ISO"#,
        #"PID|||MRN-1001^^^RELIEF&1.2.840.99999.1&ISO^MR||Testpatient^Alex^^^^^L|||U"#,
        #"PV1||O|INFUSION^ROOM2^CHAIR3"#,
        #"OBR|1|ORD-77^DEEPRELIEF|OBS-9001^BEDSIDE_GW^0123456789ABCDEF^EUI-64|182777000^monitoring of patient^SCT|||20260315143000+0000"#,
        #"OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1|||||||X|||||||0123456789ABCDEF^EUI-64"#,
        #"OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.147842|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|50-120||||R|||20260315142958+0000||||0123456789ABCDEF^EUI-64"#,
        #"OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.2.1.150456|97|262688^MDC_DIM_PERCENT^MDC|90-100||||R|||20260315142958+0000"#,
        #"OBX|4|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.2.1.149530|74|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20260315142958+0000"#,
        #"OBX|5|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.3.1.150021|128|266016^MDC_DIM_MMHG^MDC|||||R|||20260315142900+0000"#,
        #"OBX|6|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.3.1.150022|82|266016^MDC_DIM_MMHG^MDC|||||R|||20260315142900+0000"#,
        #"OBX|7|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.3.1.150023|97|266016^MDC_DIM_MMHG^MDC|||||R|||20260315142900+0000"#,
        #"OBX|8|NM|151562^MDC_RESP_RATE^MDC|1.4.1.151562|14|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R"#,
        #"OBX|9|NM|151708^MDC_AWAY_CO2_ET^MDC|1.4.1.151708|5.1|265987^MDC_DIM_KILO_PASCAL^MDC|||||R|||20260315142958+0000"#,
    ].joined(separator: "\r") + "\r"

    /// A vitals cart sending LOINC codes and UCUM units, HL7 2.5.1, two OBR groups, with a °F
    /// temperature, a kPa pressure, a non-numeric SpO₂, an X status, and an unmapped weight.
    static let loincVitals = [
        #"MSH|^~\&|VITALS_CART|CLINIC|DEEPRELIEF|CLINIC|202603151500||ORU^R01|CTRL-7|P|2.5.1"#,
        #"PID|1||4711^^^RELIEF^MR~999-99-9999^^^SSA^SS"#,
        #"OBR|1||A1|85353-1^Vital signs panel^LN|||20260315145500-0500"#,
        #"OBX|1|NM|8867-4^Heart rate^LN||64|/min|||||F"#,
        #"OBX|2|NM|8310-5^Body temperature^LN||98.6|[degF]|||||F"#,
        #"OBX|3|NM|8480-6^Systolic blood pressure^LN||16|kPa|||||F"#,
        #"OBX|4|NM|59408-5^SpO2 by pulse oximetry^LN||abc|%|||||F"#,
        #"OBX|5|NM|9279-1^Respiratory rate^LN||12|/min|||||X"#,
        #"OBX|6|NM|29463-7^Body weight^LN||70|kg|||||F"#,
        #"OBR|2||A2|85353-1^Vital signs panel^LN|||20260315150500-0500"#,
        #"OBX|1|NM|2708-6^Oxygen saturation^LN||95|%|||||F|||20260315150700-0500"#,
        #"OBX|2|NM|8478-0^Mean blood pressure^LN||90|mm[Hg]|||||F"#,
    ].joined(separator: "\r") + "\r"

    /// 2026-03-15T14:30:05Z, MSH-7 of `pcd01`.
    static let pcdMessageTime = Date(timeIntervalSince1970: 1_773_585_005)
    /// 2026-03-15T14:29:58Z.
    static let pcdVitalsTime = Date(timeIntervalSince1970: 1_773_584_998)
    /// 2026-03-15T14:29:00Z, the NIBP reading.
    static let pcdCuffTime = Date(timeIntervalSince1970: 1_773_584_940)
    /// 2026-03-15T14:30:00Z, OBR-7 of `pcd01`.
    static let pcdRequestTime = Date(timeIntervalSince1970: 1_773_585_000)
    /// 2026-03-15T19:55:00Z = 14:55 at -05:00, first OBR-7 of `loincVitals`.
    static let loincFirstGroupTime = Date(timeIntervalSince1970: 1_773_604_500)
    /// 2026-03-15T20:05:00Z, second OBR-7 of `loincVitals`.
    static let loincSecondGroupTime = Date(timeIntervalSince1970: 1_773_605_100)
    /// 2026-03-15T20:07:00Z, OBX-14 in the second group of `loincVitals`.
    static let loincOBXTime = Date(timeIntervalSince1970: 1_773_605_220)
    /// A fixed receipt time for tests.
    static let receivedAt = Date(timeIntervalSince1970: 1_800_000_000)
}
