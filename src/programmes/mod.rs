pub mod kenko_keiei;
