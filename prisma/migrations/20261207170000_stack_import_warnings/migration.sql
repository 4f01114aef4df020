-- What the last import of a stack's compose file changed or ignored (its warnings), shown on the stack's page.
ALTER TABLE "stack" ADD COLUMN "importWarnings" JSONB NOT NULL DEFAULT '[]';
