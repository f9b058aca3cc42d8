/**
 * The quick start's main job, not published: {@link dev.patguard.demo.PatGuardDemo} starts a fake
 * BRMS with sample tokens and the sample release portal guarded by {@code PatGuardFilter}, then
 * runs the deploy gate, a least-privilege review and a signed receipt, all on loopback.
 */
@NullMarked
package dev.patguard.demo;

import org.jspecify.annotations.NullMarked;
