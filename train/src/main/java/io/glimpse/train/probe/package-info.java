/**
 * Probe heads (docs/heads.md): {@link io.glimpse.train.probe.ProbeRegistry} maps every probe name to a
 * {@link io.glimpse.train.probe.PooledProbe} = token selection -> pooling ({@code pooling} package, one class per
 * head section of docs/heads.md) -> BatchNorm1d(affine=False, eps 1e-6, momentum 0.1) -> Linear(D', C), and to its
 * {@link io.glimpse.train.probe.ProbeInfo} (family, attention maps or not, citation), which other stages ask
 * instead of reading meaning into names.
 * <ul>
 *   <li>Initial values are drawn in Java from {@code java.util.Random(seed)} in build order
 *       ({@code nn.ParameterStore}), so a seed gives the same head on any machine.</li>
 *   <li>Parameter names follow the study's modules ({@code pool.kv.weight}, {@code classifier.bias}, ...);
 *       buffers are BatchNorm running statistics. Shapes follow PyTorch (EP queries [1, M, D], so LARS treats them
 *       as one ndim>1 tensor); dolg's 1x1 convs are stored as [out, in] matrices (ndim 2, same count).</li>
 *   <li>Parameters with no gradient by construction: CAE's {@code norm2_cross} (built, counted, never used; DJL
 *       returns zeros for it), CoCa's query rows 1..195 (zero gradient rows), and biases that shift every
 *       attention logit equally (abmilp's score bias, cait's key bias: zero or rounding noise).</li>
 *   <li>{@code forward}/{@code attention} keep nothing in the head's manager: intermediates are closed when they
 *       return (autograd keeps what backward needs) and the result is attached to the tokens' manager. Call them
 *       with per-batch tokens in a sub-manager and close it after the optimizer step. Gradients accumulate across
 *       backward passes until the caller zeroes them.</li>
 *   <li>{@code flopsPerSample}: multiply-adds of matrix products in the form as computed (pool-first where the
 *       study's code projects every token), plus the classifier; see {@link io.glimpse.train.probe.pooling.Pooling}.</li>
 *   <li>A trained head is saved and restored by these names: {@link io.glimpse.train.run.HeadState}.</li>
 * </ul>
 */
package io.glimpse.train.probe;
