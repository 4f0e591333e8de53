-- CreateIndex
CREATE INDEX "participant_version_idx" ON "competitions"."participant"("version");
