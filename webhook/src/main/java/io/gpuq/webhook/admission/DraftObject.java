package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An object a {@link PodDraft} created or copied. Its type tells the draft which nodes it may write
 * to, and its members tell the diff what was written since the copy.
 */
final class DraftObject extends ObjectNode {

    private final transient PodDraft draft;
    private final transient DraftMembers members;

    DraftObject(PodDraft draft, DraftMembers members) {
        super(JsonNodeFactory.instance, members);
        this.draft = draft;
        this.members = members;
    }

    PodDraft draft() {
        return draft;
    }

    DraftMembers members() {
        return members;
    }
}
