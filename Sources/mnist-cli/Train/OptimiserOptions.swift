import ArgumentParser
import MLPCore

/// How a run's parameters step: SGD (with --momentum, --nesterov), Adam, or AdamW.
enum OptimiserName: String, ExpressibleByArgument, CaseIterable {
    case sgd, adam, adamw

    /// The optimiser a checkpoint was trained with: Adam's state is in it, or it was SGD.
    init(of checkpoint: Checkpoint) {
        guard let adam = checkpoint.adam else { self = .sgd; return }
        self = adam.config.decoupledDecay ? .adamw : .adam
    }
}

/// train's options for Adam and dropout. --lr and --weight-decay are shared with SGD: the
/// learning rate means the same, and decay is λ on the weights for every optimiser, AdamW only
/// taking it out of the gradient.
struct OptimiserOptions: ParsableArguments {
    @Option(help: ArgumentHelp("How the parameters step: sgd (with --momentum, --nesterov), adam, or adamw (Adam with --weight-decay decoupled from the gradient) (default: sgd).",
                               valueName: "name"))
    var optimiser: OptimiserName?

    @Option(parsing: .unconditional, help: ArgumentHelp("Adam's decay of its running mean of the gradient (default: 0.9).", valueName: "β1"))
    var beta1: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Adam's decay of its running mean of the squared gradient (default: 0.999).", valueName: "β2"))
    var beta2: Float?

    @Option(parsing: .unconditional, help: ArgumentHelp("Added to Adam's root mean square, so tiny gradients do not take huge steps (default: 1e-8).", valueName: "ε"))
    var epsilon: Float?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("While training, drop each hidden unit with probability p and scale the kept ones by 1/(1 − p); eval and predict use every unit (default: 0, off).",
                               valueName: "p"))
    var dropout: Float?

    /// --lr's default: Adam's steps are about η each whatever the gradient's size, so its usual η is far smaller.
    var defaultLearningRate: Float { (optimiser ?? .sgd) == .sgd ? 0.1 : 0.001 }

    /// --weight-decay's default: AdamW exists for its decay, so it has PyTorch's 0.01; the others none.
    var defaultWeightDecay: Float { optimiser == .adamw ? 0.01 : 0 }

    func validate() throws {
        for (name, value) in [("--beta1", beta1), ("--beta2", beta2)] {
            if let value { guard value.isFinite, (0..<1).contains(value) else { throw ValidationError("\(name) must be in [0, 1), got \(value)") } }
        }
        if let epsilon { guard epsilon.isFinite, epsilon > 0 else { throw ValidationError("--epsilon must be a positive number, got \(epsilon)") } }
        if let dropout { guard dropout.isFinite, (0..<1).contains(dropout) else { throw ValidationError("--dropout must be in [0, 1), got \(dropout)") } }
    }

    /// Cross-checks with SGD's own options, for a fresh run (a resumed one is checked against its file).
    func validate(momentum: Float?, nesterov: Bool) throws {
        let name = optimiser ?? .sgd
        if name == .sgd, let given = [("--beta1", beta1), ("--beta2", beta2), ("--epsilon", epsilon)].first(where: { $0.1 != nil }) {
            throw ValidationError("\(given.0) is Adam's; add --optimiser adam or adamw")
        }
        if name != .sgd && ((momentum ?? 0) != 0 || nesterov) {
            throw ValidationError("--momentum and --nesterov are SGD's; \(name.rawValue) keeps its own running mean (--beta1)")
        }
    }

    /// Adam's settings for a fresh run; nil for SGD.
    var adam: AdamConfig? {
        let name = optimiser ?? .sgd
        guard name != .sgd else { return nil }
        let defaults = AdamConfig()
        return AdamConfig(beta1: beta1 ?? defaults.beta1, beta2: beta2 ?? defaults.beta2, epsilon: epsilon ?? defaults.epsilon,
                          decoupledDecay: name == .adamw)
    }

    /// A fresh run's optimiser and dropout, as these options say.
    var choice: OptimiserChoice {
        OptimiserChoice(adam: adam, adamResumingFrom: nil, dropoutRate: dropout ?? 0)
    }

    /// A resumed run's optimiser and dropout: its checkpoint's, with the settings given now laid
    /// over the saved ones (described in `changes`). The optimiser itself cannot change: the state
    /// one keeps means nothing to another.
    func choice(resuming saved: Checkpoint, file: String, momentum: Float?, nesterov: Bool,
                changes: inout [String]) throws(CLIError) -> OptimiserChoice {
        let was = OptimiserName(of: saved)
        if let optimiser, optimiser != was {
            throw CLIError("--optimiser cannot change when resuming: \(file) was trained with --optimiser \(was.rawValue)",
                           hint: "drop --optimiser, or train anew without --resume", status: .usage)
        }
        if was != .sgd && ((momentum ?? 0) != 0 || nesterov) {
            throw CLIError("--momentum and --nesterov are SGD's, and \(file) was trained with \(was.rawValue)",
                           hint: "drop them; --beta1 is Adam's running mean", status: .usage)
        }
        var adam = saved.adam
        if var state = adam {
            func honour(_ given: Float?, _ name: String, _ field: WritableKeyPath<AdamConfig, Float>) {
                guard let given, given != state.config[keyPath: field] else { return }
                changes.append("\(name) \(given) (was \(state.config[keyPath: field]))")
                state.config[keyPath: field] = given
            }
            honour(beta1, "β1", \.beta1)
            honour(beta2, "β2", \.beta2)
            honour(epsilon, "ε", \.epsilon)
            adam = state
        } else if let given = [("--beta1", beta1), ("--beta2", beta2), ("--epsilon", epsilon)].first(where: { $0.1 != nil }) {
            throw CLIError("\(given.0) is Adam's, and \(file) was trained with sgd", hint: "drop \(given.0)", status: .usage)
        }
        let rate = dropout ?? saved.dropoutRate ?? 0
        if rate != (saved.dropoutRate ?? 0) { changes.append("dropout \(rate) (was \(saved.dropoutRate ?? 0))") }
        return OptimiserChoice(adam: adam?.config, adamResumingFrom: adam, dropoutRate: rate)
    }
}

/// How a run's trainer steps beyond SGD, resolved once by `TrainPlan`: Adam's settings (and a
/// resumed run's moments), and the dropout rate.
struct OptimiserChoice {
    /// Adam's settings; nil for SGD.
    var adam: AdamConfig?
    /// A resumed run's Adam steps and moments.
    var adamResumingFrom: AdamState?
    /// 0 for no dropout.
    var dropoutRate: Float

    /// Sets the trainer to step and drop as chosen; masks are drawn from `seed`.
    func configure(_ trainer: Trainer, seed: UInt64) {
        if let adam { trainer.useAdam(adam, resumingFrom: adamResumingFrom) }
        if dropoutRate > 0 { trainer.dropout = Dropout(rate: dropoutRate, seed: seed) }
    }
}

extension AdamConfig {
    /// "Adam (β1 0.9, β2 0.999, ε 1e-08)", for the run's header.
    var summary: String {
        "\(decoupledDecay ? "AdamW" : "Adam") (β1 \(beta1), β2 \(beta2), ε \(epsilon))"
    }
}
