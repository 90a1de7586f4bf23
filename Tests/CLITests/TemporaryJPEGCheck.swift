import Testing
@Test func temporaryJPEGCheck() throws {
    try RenderedDigitsCheck(modelPath: "/tmp/jpeg-ref.bin", imagesPath: "data/mnist/t10k-images-idx3-ubyte.gz", labelsPath: "data/mnist/t10k-labels-idx1-ubyte.gz").run()
}
