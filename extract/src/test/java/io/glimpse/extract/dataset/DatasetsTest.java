package io.glimpse.extract.dataset;

import io.glimpse.extract.ExtractInputException;
import io.glimpse.extract.TestData;
import io.glimpse.extract.image.U8Image;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetsTest {
    /** root/{train,val}/{cat,ant,bee}/img-k.png: classes deliberately not created in sorted order. */
    private static Path imageFolder(Path root) throws Exception {
        int k = 0;
        for (String split : new String[] {"train", "val"}) {
            for (String cls : new String[] {"cat", "ant", "bee"}) {
                for (int i = 0; i < 2; i++) TestData.writePng(root.resolve(split).resolve(cls).resolve("img-" + i + ".png"), k++ % 16);
            }
        }
        Path yaml = root.resolve("folders.yaml");
        Files.writeString(yaml, "name: folders\nformat: imagefolder\nsplits:\n  train: {root: train}\n  val: {root: val}\n");
        return yaml;
    }

    @Test
    void imageFolderSortsClassesAndUsesRelativeIds(@TempDir Path tmp) throws Exception {
        DatasetConfig cfg = DatasetConfigLoader.load(imageFolder(tmp).toString());
        ImageDataset train = DatasetConfigLoader.open(cfg, "train");
        assertEquals(6, train.size());
        assertEquals(List.of("ant", "bee", "cat"), train.classes());
        assertEquals("ant/img-0.png", train.id(0));
        assertEquals(0, train.label(0));
        assertEquals(2, train.label(5));
        assertEquals(3, train.numClasses());
        U8Image img = train.image(0, 1);
        assertEquals(28, img.width());
        assertEquals(3, train.image(0, 3).channels());
    }

    @Test
    void fingerprintIgnoresWhereTheTreeLivesButSeesContentChanges(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("elsewhere/b");
        DatasetConfig ca = DatasetConfigLoader.load(imageFolder(a).toString());
        DatasetConfig cb = DatasetConfigLoader.load(imageFolder(b).toString());
        String fa = DatasetConfigLoader.open(ca, "train").fingerprint();
        assertEquals(fa, DatasetConfigLoader.open(cb, "train").fingerprint(), "absolute paths must not matter");
        Files.setLastModifiedTime(b.resolve("train/ant/img-0.png"), java.nio.file.attribute.FileTime.fromMillis(0));
        assertEquals(fa, DatasetConfigLoader.open(cb, "train").fingerprint(), "mtimes must not matter");
        Files.write(b.resolve("train/ant/img-0.png"), new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        assertNotEquals(fa, DatasetConfigLoader.open(cb, "train").fingerprint());
    }

    @Test
    void csvListWithClassNamesAndTsvWithIntegers(@TempDir Path tmp) throws Exception {
        for (int i = 0; i < 4; i++) TestData.writePng(tmp.resolve("imgs/p" + i + ".png"), i);
        Files.writeString(tmp.resolve("train.csv"), "path,label\nimgs/p0.png,shirt\nimgs/p1.png,bag\nimgs/p2.png,shirt\n");
        Files.writeString(tmp.resolve("test.csv"), "imgs/p3.png,coat\n");
        Files.writeString(tmp.resolve("list.yaml"), "name: listed\nformat: list\nsplits:\n  train: {file: train.csv}\n  test: {file: test.csv}\n");
        DatasetConfig cfg = DatasetConfigLoader.load(tmp.resolve("list.yaml").toString());
        ImageDataset train = DatasetConfigLoader.open(cfg, "train");
        assertEquals(List.of("bag", "coat", "shirt"), train.classes());
        assertEquals(3, train.size());
        assertArrayEquals(new int[] {2, 0, 2}, new int[] {train.label(0), train.label(1), train.label(2)});
        assertEquals("imgs/p1.png", train.id(1));
        assertEquals(1, DatasetConfigLoader.open(cfg, "test").label(0));

        Files.writeString(tmp.resolve("t.tsv"), "imgs/p0.png\t4\nimgs/p1.png\t7\n");
        Files.writeString(tmp.resolve("tsv.yaml"), "format: list\nsplits:\n  train: {file: t.tsv, root: .}\n");
        ImageDataset tsv = DatasetConfigLoader.open(DatasetConfigLoader.load(tmp.resolve("tsv.yaml").toString()), "train");
        assertEquals(7, tsv.label(1));
        assertEquals(8, tsv.numClasses());
    }

    @Test
    void idxIdsLabelsAndFingerprint(@TempDir Path tmp) throws Exception {
        DatasetConfig cfg = DatasetConfigLoader.load(TestData.goldenIdxDataset(tmp, 2).toString());
        ImageDataset train = DatasetConfigLoader.open(cfg, "train"), test = DatasetConfigLoader.open(cfg, "test");
        assertEquals(32, train.size());
        assertEquals("train/000017", train.id(17));
        assertEquals(TestData.GOLDEN_LABELS[1], train.label(17));
        assertNotEquals(train.fingerprint(), test.fingerprint());
        assertEquals(10, train.numClasses());
    }

    @Test
    void configErrorsNameTheProblem(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("bad.yaml"), "format: parquet\nsplits: {train: {file: x}}\n");
        ExtractInputException e = assertThrows(ExtractInputException.class, () -> DatasetConfigLoader.load(tmp.resolve("bad.yaml").toString()));
        assertTrue(e.getMessage().contains("parquet") && e.getMessage().contains("idx, imagefolder, list"), e.getMessage());
        Files.writeString(tmp.resolve("idx.yaml"), "format: idx\nsplits: {train: {images: nope.gz}}\n");
        DatasetConfig cfg = DatasetConfigLoader.load(tmp.resolve("idx.yaml").toString());
        e = assertThrows(ExtractInputException.class, () -> DatasetConfigLoader.open(cfg, "train"));
        assertTrue(e.getMessage().contains("nope.gz") && e.getMessage().contains("not found"), e.getMessage());
        e = assertThrows(ExtractInputException.class, () -> DatasetConfigLoader.open(cfg, "test"));
        assertTrue(e.getMessage().contains("--split test"), e.getMessage());
    }

    @Test
    void environmentVariableInDir() {
        assertEquals("/data/fm", DatasetConfigLoader.expand("${FM_DIR:-/usr/share/x}", Map.of("FM_DIR", "/data/fm")::get));
        assertEquals("/usr/share/x", DatasetConfigLoader.expand("${FM_DIR:-/usr/share/x}", k -> null));
    }
}
