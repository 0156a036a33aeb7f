/** Admission webhook: pod mutation and validation, CRD validation. */
package io.gpuq.webhook;
