package io.pgwalstream.flink.rowdata.toast;

import org.apache.flink.table.data.RowData;

import javax.annotation.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/** A {@link ToastLookup} that answers from a queue and records what it was asked. */
final class RecordingLookup implements ToastLookup {

    private static final long serialVersionUID = 1L;

    /** One call: the key ({@code id}) of the row and the fields asked. */
    record Call(int id, List<Integer> fields) {}

    private final Deque<Answer> answers = new ArrayDeque<>();
    final List<Call> calls = new ArrayList<>();
    int opened;
    int closed;

    /** The next lookup's answer; {@code result} null means the row is gone. */
    RecordingLookup answer(@Nullable Result result) {
        answers.add(new Answer(result));
        return this;
    }

    @Override
    public void open() {
        opened++;
    }

    @Nullable
    @Override
    public Result lookup(RowData input, int[] fields) {
        calls.add(new Call(input.getInt(0), Arrays.stream(fields).boxed().toList()));
        Answer answer = answers.poll();
        if (answer == null) {
            throw new AssertionError("Unexpected lookup of " + calls.get(calls.size() - 1));
        }
        return answer.result;
    }

    @Override
    public void close() {
        closed++;
    }

    private record Answer(@Nullable Result result) {}
}
