/// The scalar twin of `gemm`, same arguments and meaning: c (m x n) = a (m x k, element (i, p) at
/// a[i*aRowStride + p*aColumnStride]) · b (k x n, ld ldb), c with ld ldc. The test oracle for the
/// SIMD kernel, so internal: tests reach it with `@testable import`. Written in the most obvious
/// way, with k summed in order.
///
/// Each term goes through the kernels' own scalar `multiplyAdd`, so the twin rounds as the build
/// does: fused under MLPCORE_FMA, a rounded product then a rounded sum otherwise. The kernel and
/// its twin then agree bit for bit in either build, and the tests can demand exactly that.
func gemmReference(m: Int, n: Int, k: Int,
                   a: UnsafePointer<Float>, aRowStride: Int, aColumnStride: Int,
                   b: UnsafePointer<Float>, ldb: Int,
                   c: UnsafeMutablePointer<Float>, ldc: Int) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                multiplyAdd(&sum, a[i * aRowStride + p * aColumnStride], b[p * ldb + j])
            }
            c[i * ldc + j] = sum
        }
    }
}
