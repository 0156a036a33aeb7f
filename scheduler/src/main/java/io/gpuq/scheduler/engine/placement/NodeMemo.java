package io.gpuq.scheduler.engine.placement;

import java.util.Arrays;

/** A policy's cached verdicts for one node, one per pod shape seen so far. */
class NodeMemo {
    final NodeState node;
    private Evaluation[] byShape = new Evaluation[4];

    NodeMemo(NodeState node) {
        this.node = node;
    }

    final Evaluation evaluation(int shape) {
        if (shape >= byShape.length) {
            byShape = Arrays.copyOf(byShape, Math.max(shape + 1, byShape.length * 2));
        }
        Evaluation e = byShape[shape];
        if (e == null) {
            e = new Evaluation();
            byShape[shape] = e;
        }
        return e;
    }
}
