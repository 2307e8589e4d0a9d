//! Benchmarks for the curation pallet (benchmarks v2).
