package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The copy-on-write draft the mutation steps edit: the admitted pod stays as it was, the patch is the edit. */
class PodDraftTest {

    private final ObjectNode admitted = Reviews.json("{\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"1\"}},"
            + "\"spec\":{\"containers\":[{\"name\":\"c0\",\"env\":[]},{\"name\":\"c1\"}],\"volumes\":[{\"name\":\"v\"}]}}");
    private final ObjectNode before = admitted.deepCopy();
    private final PodDraft draft = new PodDraft(admitted);

    @Test
    void aWriteCopiesOnlyThePathToItAndLeavesTheAdmittedPodAlone() {
        draft.object("metadata", "labels").put("b", "2");

        assertThat(admitted).isEqualTo(before);
        assertThat(draft.root().get("spec")).isSameAs(admitted.get("spec"));
        assertThat(draft.root().get("metadata")).isNotSameAs(admitted.get("metadata"));
        assertThat(draft.root().at("/metadata/labels")).isEqualTo(Reviews.json("{\"a\":\"1\",\"b\":\"2\"}"));
        assertThat(draft.patch().toJson().toString()).isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/labels/b\",\"value\":\"2\"}]");
    }

    @Test
    void anArrayElementIsCopiedBeforeItIsEditedAndItsSiblingsAreShared() {
        ArrayNode containers = draft.existingArray(draft.existingObject(draft.root(), "spec"), "containers");
        draft.array(draft.objectAt(containers, 1), "env").add(Reviews.json("{\"name\":\"X\",\"value\":\"y\"}"));

        assertThat(admitted).isEqualTo(before);
        assertThat(containers.get(0)).isSameAs(admitted.at("/spec/containers/0"));
        assertThat(draft.root().at("/spec/volumes")).isSameAs(admitted.at("/spec/volumes"));
        assertThat(draft.patch().toJson().toString()).isEqualTo(
                "[{\"op\":\"add\",\"path\":\"/spec/containers/1/env\",\"value\":[{\"name\":\"X\",\"value\":\"y\"}]}]");
    }

    @Test
    void aWriteBelowANodeThatWasOnlyReadIsRefused() {
        ObjectNode sharedSpec = (ObjectNode) draft.root().get("spec");

        assertThatThrownBy(() -> draft.object(sharedSpec, "affinity"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only read");
        assertThat(admitted).isEqualTo(before);
    }

    @Test
    void putIfAbsentCreatesMissingParentsKeepsValuesAndSkipsMembersOfAnotherType() {
        draft.putIfAbsent("new", "k", "metadata", "annotations");
        draft.putIfAbsent("ignored", "a", "metadata", "labels");
        draft.putIfAbsent("ignored", "k", "metadata", "name");

        assertThat(draft.root().at("/metadata/annotations/k").asText()).isEqualTo("new");
        assertThat(draft.root().at("/metadata/labels/a").asText()).isEqualTo("1");
        assertThat(draft.root().at("/metadata/name").asText()).isEqualTo("p");
        assertThat(draft.patch().toJson().toString())
                .isEqualTo("[{\"op\":\"add\",\"path\":\"/metadata/annotations\",\"value\":{\"k\":\"new\"}}]");
        assertThat(admitted).isEqualTo(before);
    }

    @Test
    void nothingWrittenMeansAnEmptyPatchEvenAfterCopies() {
        draft.object("spec");
        draft.existingArray(draft.object("spec"), "containers");

        assertThat(draft.patch().toJson()).isEmpty();
    }
}
