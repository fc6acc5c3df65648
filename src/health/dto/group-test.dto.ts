import { ApiProperty } from '@nestjs/swagger';

export class KeyTestResultDto {
  @ApiProperty() keyId: number;
  @ApiProperty({ example: 'sk-…abcd' }) masked: string;
  @ApiProperty() ok: boolean;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The upstream’s HTTP status; null when none came back',
  })
  status: number | null;
  @ApiProperty({ type: Number, nullable: true }) latencyMs: number | null;
  @ApiProperty({ type: String, nullable: true, description: 'Redacted' }) error: string | null;
}

export class GroupTestDto {
  @ApiProperty() groupId: number;
  @ApiProperty() groupName: string;
  @ApiProperty({ description: 'Every probed key answered' }) ok: boolean;
  @ApiProperty({ type: [KeyTestResultDto] }) results: KeyTestResultDto[];
}
