import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

/**
 * Issue 11 item 1: versioned agreement documents and members' acceptances. Version 1 of both documents is
 * written here, so every deployment (and every test database) has an agreement to accept from the start;
 * admin publishes later versions in the back office.
 */
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'int', isNullable: nullable });
const str = (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
const ix = (table: string, columns: string[], unique = false) =>
  new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`, columnNames: columns, isUnique: unique });

const TABLES: Table[] = [
  new Table({
    name: 'agreement_document',
    columns: [id, str('kind', 16), int('version'), str('title', 100), { name: 'body', type: 'text' }, int('created_by', true), str('created_name', 64, true), { name: 'created_at', type: 'bigint' }],
    indices: [ix('agreement_document', ['kind', 'version'], true)],
  }),
  new Table({
    name: 'agreement_acceptance',
    columns: [id, int('member_id'), int('terms_version'), int('privacy_version'), str('ip', 64, true), { name: 'accepted_at', type: 'bigint' }],
    indices: [ix('agreement_acceptance', ['member_id', 'terms_version', 'privacy_version'], true), ix('agreement_acceptance', ['terms_version'])],
  }),
];

const TERMS_V1 = `欢迎加入会员积分计划。
一、积分获取:在门店消费每 1 元得 1 积分(会员等级与活动另有加成);每日签到、评价订单、绑定银行卡、完成问卷、分享与邀请好友也可获得积分,非消费积分每月有上限。
二、积分价值:100 积分可抵 1 元,可在「兑换」中兑换商品或在门店抵扣。积分不可转让、不可兑现。
三、积分有效期:积分按获得年份计算,于次年 12 月 31 日到期,到期前将提前提醒。
四、退款:订单退款时,相应积分将被扣回。
五、申诉:对积分有疑问可在「我的 - 积分申诉」提交,我们将在 7 天内答复。
六、规则变更:规则调整将提前至少 30 天公告;协议更新后需重新确认。`;

const PRIVACY_V1 = `我们仅为提供积分服务处理您的信息:微信标识(openid)、昵称、您主动绑定的手机号与生日、消费与积分记录。
信息仅用于计算积分、提供兑换与客服,不出售给第三方。您可随时联系客服查询或更正您的信息。`;

export class Agreement1734600000000 implements MigrationInterface {
  name = 'Agreement1734600000000';

  async up(q: QueryRunner): Promise<void> {
    for (const t of TABLES) await q.createTable(t, true);
    const now = Date.now();
    await q.query('INSERT INTO agreement_document (kind, version, title, body, created_by, created_name, created_at) VALUES (?, 1, ?, ?, NULL, NULL, ?), (?, 1, ?, ?, NULL, NULL, ?)', [
      'terms',
      '积分服务协议',
      TERMS_V1,
      now,
      'privacy',
      '隐私政策',
      PRIVACY_V1,
      now,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [...TABLES].reverse()) await q.dropTable(t.name, true);
  }
}
