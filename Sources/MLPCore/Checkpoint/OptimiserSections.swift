/// The ADAM and DROP sections: Adam's settings, step count and moments, and the dropout rate,
/// so a resumed run steps and drops exactly as the uninterrupted one would.
enum OptimiserSections {
    static let adamTag = "ADAM", dropoutTag = "DROP"

    /// ADAM: u8 decay form (0 Adam, 1 AdamW), f32 β1, f32 β2, f32 ε, u64 steps taken, then the
    /// first and the second moments, P f32 each.
    static func encoded(_ adam: AdamState) -> [UInt8] {
        var out = ByteWriter()
        out.bytes.reserveCapacity(headerBytes + 8 * adam.firstMoment.count)
        out.u8(adam.config.decoupledDecay ? 1 : 0)
        for value in [adam.config.beta1, adam.config.beta2, adam.config.epsilon] { out.f32(value) }
        out.u64(UInt64(truncatingIfNeeded: adam.steps))
        for value in adam.firstMoment { out.f32(value) }
        for value in adam.secondMoment { out.f32(value) }
        return out.bytes
    }

    /// Bytes of ADAM before the moments.
    static let headerBytes = 21

    static func adam(_ section: CheckpointSection, parameters count: Int) throws(CheckpointError) -> AdamState {
        let payload = section.payload, expected = headerBytes + 8 * count
        guard payload.count == expected else {
            throw .badSection(tag: section.tag, reason: "holds \(payload.count) bytes, not \(expected)")
        }
        var input = ByteReader(bytes: payload, offset: 0)
        let form = input.u8()
        guard form <= 1 else { throw .badSection(tag: section.tag, reason: "decay form \(form) is neither 0 (Adam) nor 1 (AdamW)") }
        let config = AdamConfig(beta1: input.f32(), beta2: input.f32(), epsilon: input.f32(), decoupledDecay: form == 1)
        for (name, value) in [("β1", config.beta1), ("β2", config.beta2)] where !(value.isFinite && (0..<1).contains(value)) {
            throw .badSection(tag: section.tag, reason: "\(name) \(value) is not in [0, 1)")
        }
        guard config.epsilon.isFinite, config.epsilon > 0 else { throw .badSection(tag: section.tag, reason: "ε \(config.epsilon) is not positive") }
        let steps = input.u64()
        guard steps <= UInt64(Int32.max) else { throw .badSection(tag: section.tag, reason: "\(steps) steps is past any run") }
        return AdamState(config: config, steps: Int(steps), firstMoment: input.f32s(count), secondMoment: input.f32s(count))
    }

    /// DROP: f32, the probability of dropping a hidden unit, in (0, 1).
    static func encoded(dropoutRate rate: Float) -> [UInt8] {
        var out = ByteWriter()
        out.f32(rate)
        return out.bytes
    }

    static func dropoutRate(_ section: CheckpointSection) throws(CheckpointError) -> Float {
        guard section.payload.count == 4 else { throw .badSection(tag: section.tag, reason: "holds \(section.payload.count) bytes, not 4") }
        var input = ByteReader(bytes: section.payload, offset: 0)
        let rate = input.f32()
        guard rate.isFinite, rate > 0, rate < 1 else { throw .badSection(tag: section.tag, reason: "rate \(rate) is not in (0, 1)") }
        return rate
    }
}
