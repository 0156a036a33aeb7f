package io.gpuq.webhook.admission;

import io.gpuq.api.Annotations;
import io.gpuq.api.gpu.GpuRequest;
import io.gpuq.api.gpu.GpuRequestParser;
import io.gpuq.webhook.ClusterView;

import java.util.Optional;
import java.util.TreeSet;

/**
 * The pod's GPU request must parse (fractions in (0, 1), one form only, no fraction beside whole
 * GPUs …; the parser's messages say what is allowed), the webhook-owned {@code runai/gpu-fraction}
 * must agree with it, and a gpu-memory request must fit the largest GPU the pod can get.
 */
final class GpuRequestRule implements PodRule {

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        if (context.requestError() != null) {
            findings.deny(context.requestError());
            return;
        }
        GpuRequest request = context.request();
        checkNormalisedFraction(context.pod().annotation(Annotations.NORMALISED_GPU_FRACTION), request, findings);
        if (request.kind() == GpuRequest.Kind.MEMORY && context.pools() != null) {
            checkMemoryFits(context, request, findings);
        }
    }

    static void checkNormalisedFraction(String written, GpuRequest request, Findings findings) {
        if (written == null) {
            return;
        }
        String owned = "annotation " + Annotations.NORMALISED_GPU_FRACTION + " " + Messages.quote(written);
        if (request.kind() != GpuRequest.Kind.FRACTION) {
            findings.deny(owned + " is only for pods that request a GPU fraction, and this pod requests "
                    + describe(request) + ": remove it (gpuq writes it); to share a GPU set " + Annotations.GPU_FRACTION);
            return;
        }
        int milli;
        try {
            milli = GpuRequestParser.parseFraction(Annotations.NORMALISED_GPU_FRACTION, written);
        } catch (IllegalArgumentException e) {
            findings.deny(e.getMessage() + "; gpuq writes this annotation itself, so remove it");
            return;
        }
        if (milli != request.fractionMilli()) {
            findings.deny(owned + " disagrees with the pod's GPU request (" + request.fraction() + "): gpuq writes this"
                    + " annotation from the request, so remove it or set it to " + Messages.quote(request.fraction()));
        }
    }

    private static void checkMemoryFits(PodContext context, GpuRequest request, Findings findings) {
        Optional<ClusterView.PoolGpus> largest = context.pools().largestGpus(context.view());
        if (largest.isEmpty() || request.memoryMib() <= largest.get().maxGpuMemoryMiB()) {
            return;
        }
        ClusterView.PoolGpus gpus = largest.get();
        String models = gpus.gpuModels() == null || gpus.gpuModels().isEmpty() ? ""
                : ", " + String.join(", ", new TreeSet<>(gpus.gpuModels()));
        findings.deny(Annotations.GPU_MEMORY + " " + Messages.quote(context.pod().annotation(Annotations.GPU_MEMORY))
                + " (" + request.memoryMib() + " MiB) is more than any GPU in the pools this pod may use ("
                + String.join(", ", context.pools().candidates()) + "): the largest has " + gpus.maxGpuMemoryMiB()
                + " MiB (pool " + Messages.quote(gpus.pool()) + models + "); ask for at most " + gpus.maxGpuMemoryMiB()
                + " MiB, or request whole GPUs with nvidia.com/gpu");
    }

    static String describe(GpuRequest request) {
        return switch (request.kind()) {
            case NONE -> "no GPU";
            case WHOLE -> request.wholeGpus() + (request.wholeGpus() == 1 ? " whole GPU" : " whole GPUs");
            case FRACTION -> "a fraction of " + request.fraction() + " GPU";
            case MEMORY -> Annotations.GPU_MEMORY + " " + request.memoryMib() + " MiB";
        };
    }
}
