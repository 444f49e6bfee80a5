"""Reading drafts: format readers produce blocks, the structure builder turns them into units."""
