package org.cameltaas.gateway.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where stored files' bytes live. An upload is written to a spool file first and kept under its id only once its
 * metadata is stored, so a failed or refused upload leaves nothing behind. The local file system is the one
 * implementation today ({@link LocalFileContentStore}); an object store would be another.
 */
public interface FileContentStore {

    /** A new, empty spool file to write an upload into (on the store's own file system, so keeping it is a move). */
    Path newSpoolFile() throws IOException;

    /** Keeps the spooled upload as the content of {@code id}. */
    void keep(Path spooled, String id) throws IOException;

    /** The content of {@code id}, to be read from the start. */
    InputStream open(String id) throws IOException;

    /** Deletes the content of {@code id}; nothing when there is none. */
    void delete(String id) throws IOException;
}
