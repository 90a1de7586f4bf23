@testable import MNISTData
import Testing

/// `count` distinct 4x3 pictures (the index is spelt out in the first two pixels), labels n·7 % 10,
/// with classCount 12 so that a part could not infer it from its labels.
private func numbered(_ count: Int) -> LabeledImages {
    var images: [UInt8] = []
    for n in 0..<count {
        images += [UInt8(n / 256), UInt8(n % 256)]
        images += (2..<12).map { (i: Int) -> UInt8 in UInt8((n * 31 + i * 7) % 256) }
    }
    return LabeledImages(images: images, labels: (0..<count).map { UInt8($0 * 7 % 10) }, rows: 4, cols: 3, classCount: 12)
}

private func picture(_ data: LabeledImages, _ n: Int) -> [UInt8] {
    Array(data.images[(n * data.pixelsPerImage)..<((n + 1) * data.pixelsPerImage)])
}

@Suite struct ValidationSplitTests {
    @Test(arguments: [(100, 30), (1000, 1), (7, 6), (500, 250)])
    func partsAreDisjointCompleteAndMatchTheirImages(count: Int, held: Int) throws {
        let data = numbered(count)
        let split = try ValidationSplit(data, validation: held, seed: 7)
        #expect(split.validation.count == held && split.training.count == count - held)
        #expect(Set(split.trainingIndices).isDisjoint(with: split.validationIndices))
        #expect((split.trainingIndices + split.validationIndices).sorted() == Array(0..<count))
        #expect(split.trainingIndices == split.trainingIndices.sorted() && split.validationIndices == split.validationIndices.sorted())
        for (part, indices) in [(split.training, split.trainingIndices), (split.validation, split.validationIndices)] {
            #expect((part.rows, part.cols, part.classCount) == (4, 3, 12))
            #expect(part.images.count == indices.count * 12)
            for (i, n) in indices.enumerated() {
                #expect(picture(part, i) == picture(data, n), "sample \(i) is not original sample \(n)")
                #expect(part.labels[i] == data.labels[n])
            }
        }
        // No picture is in both parts (the pictures are distinct, so this checks the images themselves).
        let trainingPictures = Set((0..<split.training.count).map { picture(split.training, $0) })
        #expect((0..<split.validation.count).allSatisfy { !trainingPictures.contains(picture(split.validation, $0)) })
    }

    @Test func theSameSeedGivesTheSameSplitAndAnotherSeedAnother() throws {
        let data = numbered(1000)
        let a = try ValidationSplit(data, validation: 100, seed: 1)
        let b = try ValidationSplit(data, validation: 100, seed: 1)
        let c = try ValidationSplit(data, validation: 100, seed: 2)
        #expect(a.validationIndices == b.validationIndices)
        #expect(a.validation.images == b.validation.images && a.training.images == b.training.images)
        #expect(a.validationIndices != c.validationIndices)
    }

    /// A random choice, not the last N: held-out samples come from all over the set.
    @Test func heldOutSamplesAreSpreadOverTheSet() throws {
        let split = try ValidationSplit(numbered(10_000), validation: 1000, seed: 3)
        let perTenth = (0..<10).map { tenth in split.validationIndices.filter { $0 / 1000 == tenth }.count }
        // Each tenth expects 100 (binomial sd ≈ 9.5); 60...140 is four sd either way.
        #expect(perTenth.allSatisfy { (60...140).contains($0) }, "held out per tenth of the set: \(perTenth)")
    }

    @Test func zeroHoldsNothingOut() throws {
        let data = numbered(50)
        let split = try ValidationSplit(data, validation: 0, seed: 9)
        #expect(split.training.images == data.images && split.training.labels == data.labels)
        #expect(split.trainingIndices == Array(0..<50))
        #expect(split.validation.count == 0 && split.validation.images.isEmpty && split.validationIndices.isEmpty)
        #expect(split.validation.classCount == 12)
    }

    @Test func sizesThatLeaveNothingToTrainOnThrow() throws {
        let data = numbered(10)
        #expect(throws: ValidationSplitError.negative(requested: -1)) { _ = try ValidationSplit(data, validation: -1, seed: 0) }
        #expect(throws: ValidationSplitError.tooLarge(requested: 10, available: 10)) { _ = try ValidationSplit(data, validation: 10, seed: 0) }
        #expect(throws: ValidationSplitError.tooLarge(requested: 11, available: 10)) { _ = try ValidationSplit(data, validation: 11, seed: 0) }
        #expect(try ValidationSplit(data, validation: 9, seed: 0).training.count == 1)
        #expect(ValidationSplitError.tooLarge(requested: 11, available: 10).description.contains("fewer than 10"))
    }
}
