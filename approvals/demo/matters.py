"""Demo matter catalog (事项清单): the matters named in DOMAIN.md, with their rules, materials and commitments.

Each entry maps onto ``Matter`` / ``MatterVersion`` / ``Material`` / ``CommitmentItem``. The wording follows the
source cases: 12 Delingha (public-place hygiene), 14 Dezhou (small restaurants, packaged nurse registration),
15 Wuhan (承诺可开工, planning and works permits issued together), 16 Wuzhou (commitment instead of certificate)
and 17 Tibet (research projects accepted with missing signatures and stamps).
"""

NATIONAL_GUIDANCE = "《国务院办公厅关于全面推行证明事项告知承诺制的指导意见》（国办发〔2020〕42号）"


def _lines(*lines: str) -> str:
    return "\n".join(lines)


def _required(name: str, description: str) -> dict:
    return {
        "name": name,
        "kind": "required",
        "description": description,
        "replaces_proof": "",
        "issuing_office": "",
        "supplement_days": None,
    }


def _replaceable(name: str, description: str, *, replaces_proof: str, issuing_office: str) -> dict:
    """A proof another office would issue, replaced by the applicant's written commitment (证明事项告知承诺)."""
    return {
        "name": name,
        "kind": "replaceable",
        "description": description,
        "replaces_proof": replaces_proof,
        "issuing_office": issuing_office,
        "supplement_days": None,
    }


def _deferrable(name: str, description: str, *, days: int) -> dict:
    """A non-core material that may be supplied later (容缺受理), within ``days`` working days."""
    return {
        "name": name,
        "kind": "deferrable",
        "description": description,
        "replaces_proof": "",
        "issuing_office": "",
        "supplement_days": days,
    }


MATTERS: list[dict] = [
    # Case 12 Delingha: decide on the spot, on-site check of every licence within 3 months.
    {
        "code": "WSJK-GGCS-001",
        "name": "公共场所卫生许可",
        "department": "市卫生健康委员会",
        "version": {
            "legal_basis": _lines(
                "《公共场所卫生管理条例》第八条",
                "《公共场所卫生管理条例实施细则》第二十二条、第二十三条、第二十五条",
                "《国务院关于在全国推开“证照分离”改革的通知》（国发〔2018〕35号）",
                "《国家卫生健康委关于全面推开公共场所卫生许可告知承诺制改革有关事项的通知》",
                "《青海省公共场所卫生许可告知承诺管理办法》",
            ),
            "conditions": _lines(
                "1. 已依法取得营业执照，经营场所地址、经营项目与营业执照登记内容一致；",
                "2. 经营场所选址、布局和卫生设施符合《公共场所卫生指标及限值要求》（GB 37488）和"
                "《公共场所设计卫生规范》（GB 37489）；",
                "3. 设立卫生管理部门或者配备专（兼）职卫生管理人员，建立健全卫生管理制度和卫生管理档案；",
                "4. 从业人员取得有效健康合格证明，并经卫生知识培训合格后上岗；",
                "5. 室内空气、水质、采光照明、公共用品用具等经有资质的检测机构检测合格；",
                "6. 使用集中空调通风系统的，经卫生检测或者评价合格。",
            ),
            "allows_commitment": True,
            "allows_lenient": True,
            "allows_green_channel": False,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": [],
            "statutory_limit_days": 20,
            "verification_scope": "every",
            "verification_method": "on_site",
            "verification_window_days": 90,
            "verification_shares": {},
            "certificate_name": "公共场所卫生许可证",
            "validity_months": 48,
        },
        "materials": [
            _required("公共场所卫生许可申请表", "由法定代表人或者负责人签字并加盖公章，写明经营项目和经营面积。"),
            _required("法定代表人或者负责人身份证明", "居民身份证；委托办理的，另附授权委托书和受托人身份证件。"),
            _required("经营场所平面布局图", "标明各功能间位置、面积及给排水、通风、消毒、保洁等卫生设施的设置情况。"),
            _required("卫生管理制度", "包括卫生管理组织、从业人员健康管理、公共用品用具清洗消毒、卫生检测等制度。"),
            _replaceable(
                "从业人员健康合格证明",
                "申请人书面承诺全部从业人员已取得有效健康合格证明后上岗的，可不提交证明原件。",
                replaces_proof="从业人员预防性健康检查合格证明",
                issuing_office="具有资质的健康体检机构",
            ),
            _deferrable("公共场所卫生检测报告", "涵盖室内空气、水质、采光照明、公共用品用具等项目。", days=20),
            _deferrable("集中空调通风系统卫生检测或者评价报告", "仅使用集中空调通风系统的场所提交。", days=20),
        ],
        "commitment_items": [
            "经营场所地址、面积和功能布局与申报材料一致",
            "通风、给排水、消毒、保洁、防虫防鼠等卫生设施已按规范配置并正常运行",
            "全部从业人员持有效健康合格证明上岗，并经卫生知识培训合格",
            "已建立卫生管理制度和卫生管理档案，并配备专（兼）职卫生管理人员",
            "顾客用品用具按规定清洗消毒、一客一换，清洗消毒记录完整",
            "在容缺补正期限内提交检测结论为合格的公共场所卫生检测报告",
        ],
    },
    # Case 14 Dezhou: 承诺即可经营, small restaurants licensed on the signed commitment.
    {
        "code": "SCJG-SPJY-001",
        "name": "食品经营许可（小餐饮）",
        "department": "市市场监督管理局",
        "version": {
            "legal_basis": _lines(
                "《中华人民共和国食品安全法》第三十三条、第三十五条",
                "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）",
                "《国务院关于深化“证照分离”改革进一步激发市场主体发展活力的通知》（国发〔2021〕7号）",
            ),
            "conditions": _lines(
                "1. 经营场所使用面积不超过150平方米，具有与经营的食品品种、数量相适应的食品原料处理、加工、贮存等场所；",
                "2. 经营场所保持环境整洁，并与有毒、有害场所以及其他污染源保持规定的距离；",
                "3. 具有相应的消毒、更衣、盥洗、采光、照明、通风、防腐、防尘、防蝇、防鼠、防虫、洗涤以及处理废水、"
                "存放垃圾和废弃物的设备或者设施；",
                "4. 有专职或者兼职的食品安全管理人员和保证食品安全的规章制度；",
                "5. 具有合理的设备布局和工艺流程，防止待加工食品与直接入口食品、原料与成品交叉污染。",
            ),
            "allows_commitment": True,
            "allows_lenient": True,
            "allows_green_channel": True,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": ["A"],
            "statutory_limit_days": 10,
            "verification_scope": "every",
            "verification_method": "on_site",
            "verification_window_days": 30,
            "verification_shares": {},
            "certificate_name": "食品经营许可证",
            "validity_months": 60,
        },
        "materials": [
            _required("食品经营许可申请书", "写明经营主体业态（小型餐馆）和经营项目，由法定代表人或者负责人签字。"),
            _required("法定代表人或者负责人身份证明", "居民身份证；营业执照信息由系统共享核验，无需另行提交。"),
            _required("食品安全管理制度", "包括从业人员健康管理、进货查验记录、食品安全自查、餐饮具清洗消毒等制度。"),
            _replaceable(
                "经营场所合法使用证明",
                "申请人书面承诺对经营场所享有合法使用权的，可不提交房屋权属证明或者租赁合同。",
                replaces_proof="房屋权属证明或者村（居）民委员会出具的场所使用证明",
                issuing_office="不动产登记机构或者场所所在地村（居）民委员会",
            ),
            _deferrable("经营场所平面图和设备布局、工艺流程图", "标明加工操作区、就餐区、库房及主要设备位置。", days=5),
            _deferrable("食品安全管理人员培训考核合格证明", "食品安全管理人员参加监督抽查考核合格的记录。", days=10),
        ],
        "commitment_items": [
            "经营场所地址、使用面积和布局与申报材料一致，且未设在污染源规定距离之内",
            "加工操作区已配备消毒、洗涤、防蝇、防鼠、防虫、通风排烟等设施并正常使用",
            "全部从业人员取得有效健康证明后上岗",
            "已配备食品安全管理人员，并建立进货查验记录等食品安全管理制度",
            "食品原料与成品、生食与熟食分区分柜存放，不存在交叉污染",
            "实际经营项目不超出许可证载明的经营项目",
        ],
    },
    # Case 16 Wuzhou: inheritance without notarisation, the kinship and death proofs replaced by commitment.
    {
        "code": "ZRZY-BDC-001",
        "name": "不动产继承转移登记（免公证）",
        "department": "市自然资源局（不动产登记中心）",
        "version": {
            "legal_basis": _lines(
                "《中华人民共和国民法典》第二百三十条、第一千一百二十一条至第一千一百二十七条",
                "《不动产登记暂行条例》第十四条、第十六条、第二十条",
                "《不动产登记暂行条例实施细则》第十四条",
                NATIONAL_GUIDANCE,
                "《梧州市自然资源局关于推行不动产登记证明事项告知承诺制的实施方案》",
            ),
            "conditions": _lines(
                "1. 被继承人已经死亡，申请登记的不动产为被继承人的合法遗产，权属清晰，未被查封；",
                "2. 申请人为全部法定继承人或者受遗赠人，继承人范围和继承顺序符合《中华人民共和国民法典》的规定；",
                "3. 全体继承人对遗产分割达成一致，放弃继承的继承人已当面签署放弃继承声明；",
                "4. 全体继承人到场签署具结书，由登记机构现场核验身份并询问记录；",
                "5. 无法取得被继承人死亡证明、亲属关系证明等材料的，可以书面承诺替代。",
            ),
            "allows_commitment": True,
            "allows_lenient": False,
            "allows_green_channel": False,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": [],
            "statutory_limit_days": 30,
            "verification_scope": "every",
            "verification_method": "data",
            "verification_window_days": 60,
            "verification_shares": {},
            "certificate_name": "不动产权证书",
            "validity_months": None,
        },
        "materials": [
            _required("不动产登记申请书", "由全体继承人或者受遗赠人共同签字。"),
            _required("申请人身份证明", "全体继承人、受遗赠人的居民身份证；委托办理的，另附经公证的授权委托书。"),
            _required("不动产权属证书", "被继承人名下的不动产权证书或者房屋所有权证、国有土地使用证。"),
            _required("继承人具结书及遗产分割协议", "全体继承人当面签署，替代继承权公证书。"),
            _replaceable(
                "被继承人死亡证明",
                "无法取得被继承人及其先于被继承人死亡的父母、配偶死亡证明的，以书面承诺替代。",
                replaces_proof="居民死亡医学证明（推断）书或者注销户口证明",
                issuing_office="医疗卫生机构或者被继承人户籍所在地公安派出所",
            ),
            _replaceable(
                "继承人与被继承人亲属关系证明",
                "无法通过户籍档案证明亲属关系的，以书面承诺替代，登记机构通过共享数据比对核验。",
                replaces_proof="亲属关系证明",
                issuing_office="公安派出所或者户籍所在地村（居）民委员会",
            ),
            _replaceable(
                "被继承人婚姻状况证明",
                "无法取得被继承人婚姻登记档案的，以书面承诺替代。",
                replaces_proof="婚姻登记档案证明",
                issuing_office="婚姻登记机关",
            ),
        ],
        "commitment_items": [
            "申报的继承人范围完整，不存在隐瞒其他法定继承人或者受遗赠人的情形",
            "被继承人生前所立遗嘱已如实提交，未与他人签订遗赠扶养协议",
            "被继承人及其父母、配偶的死亡情况与申报内容一致",
            "继承人与被继承人的亲属关系与申报内容一致",
            "被继承人死亡时的婚姻状况与申报内容一致",
        ],
    },
    # Case 16 Wuzhou: doorplate change confirmed by commitment, no doorplate proof from the police.
    {
        "code": "ZRZY-BDC-002",
        "name": "不动产门牌变更登记",
        "department": "市自然资源局（不动产登记中心）",
        "version": {
            "legal_basis": _lines(
                "《不动产登记暂行条例》第十四条、第十六条、第二十条",
                "《不动产登记暂行条例实施细则》第二十六条",
                NATIONAL_GUIDANCE,
                "《梧州市自然资源局关于推行不动产登记证明事项告知承诺制的实施方案》",
            ),
            "conditions": _lines(
                "1. 申请人为不动产登记簿记载的权利人；",
                "2. 不动产坐落因地名、门牌调整发生变化，房屋实体、界址和面积未发生变化；",
                "3. 变更后的门牌与房屋测绘成果、地名门牌信息一致，经登记机构核验无误。",
            ),
            "allows_commitment": True,
            "allows_lenient": False,
            "allows_green_channel": False,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": [],
            "statutory_limit_days": 30,
            "verification_scope": "random",
            "verification_method": "data",
            "verification_window_days": 60,
            "verification_shares": {"A": 5, "B": 10, "C": 30, "D": 100},
            "certificate_name": "不动产权证书",
            "validity_months": None,
        },
        "materials": [
            _required("不动产登记申请书", "由登记簿记载的全体权利人签字。"),
            _required("申请人身份证明", "权利人的居民身份证或者营业执照；委托办理的，另附授权委托书。"),
            _required("不动产权属证书", "门牌变更前的不动产权证书原件。"),
            _replaceable(
                "房屋门牌变更证明",
                "申请人现场签署门牌确认承诺，登记机构核验房屋测绘成果和共享的门牌信息后办理。",
                replaces_proof="房屋门牌变更证明",
                issuing_office="房屋所在地公安派出所",
            ),
        ],
        "commitment_items": [
            "变更前后的门牌指向同一房屋，房屋实体未发生改变",
            "门牌变更系地名、门牌统一调整所致，变更后的门牌与公安机关门牌登记信息一致",
            "房屋坐落、界址和面积与房屋测绘成果一致",
            "申请人为该不动产的全部登记权利人，不存在隐瞒其他共有人的情形",
        ],
    },
    # Case 15 Wuhan: 承诺可开工, one commitment, the planning and works permits issued together (多证齐发).
    {
        "code": "ZRZY-GH-001",
        "name": "建设工程规划许可证核发",
        "department": "市自然资源和规划局",
        "version": {
            "legal_basis": _lines(
                "《中华人民共和国城乡规划法》第四十条",
                "《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》（国办发〔2019〕11号）",
                "《武汉市人民政府关于在工程建设领域推行“承诺可开工”制度的意见》（武政规〔2022〕14号）",
            ),
            "conditions": _lines(
                "1. 项目为开发区、产业集聚区、工业园区、产业功能区内的工业项目，或者城市重点功能区内的公共建筑项目；",
                "2. 已依法取得国有建设用地使用权，并按规定缴清土地出让价款及相关规费；",
                "3. 建设工程设计方案符合控制性详细规划和规划条件确定的用地性质、容积率、建筑密度、绿地率、"
                "建筑限高等指标；",
                "4. 建设单位已按照综合要求清单开展前期工作，并作出“符合相关要求、违规责任自担”的信用承诺；",
                "5. 审批部门在3个工作日内直接作出审批决定，不再对项目资料开展实质性审查。",
            ),
            "allows_commitment": True,
            "allows_lenient": True,
            "allows_green_channel": True,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": ["A"],
            "statutory_limit_days": 20,
            "verification_scope": "random",
            "verification_method": "on_site",
            "verification_window_days": 180,
            "verification_shares": {"A": 20, "B": 50, "C": 100, "D": 100},
            "certificate_name": "建设工程规划许可证",
            "validity_months": 12,
        },
        "materials": [
            _required("建设工程规划许可申请表", "由建设单位法定代表人签字并加盖公章。"),
            _required("建设项目审批、核准或者备案文件", "已在投资项目审批平台共享的，无需提交。"),
            _required("国有建设用地使用权证明", "不动产权证书或者国有建设用地使用权出让合同、划拨决定书。"),
            _required("建设工程设计方案", "包括总平面图、建筑单体平面图、立面图、剖面图及主要经济技术指标表。"),
            _replaceable(
                "土地出让价款及相关规费缴清证明",
                "建设单位书面承诺已按出让合同约定缴清土地出让价款及相关规费的，可不提交缴款证明。",
                replaces_proof="土地出让价款及相关规费缴纳证明",
                issuing_office="市财政局（非税收入征收部门）",
            ),
            _deferrable("日照分析报告", "涉及对周边住宅、学校、医院等产生日照影响的项目提交。", days=10),
        ],
        "commitment_items": [
            "建设工程设计方案符合规划条件确定的用地性质、容积率、建筑密度、绿地率和建筑限高等指标",
            "按照规划许可核定的位置、规模和设计方案进行建设，不擅自变更",
            "已按出让合同约定缴清土地出让价款及相关规费",
            "开工前申请规划放线，并在基础施工完成后通过规划验线",
            "在容缺补正期限内提交日照分析报告，分析结论满足日照标准",
        ],
    },
    {
        "code": "CJ-SGXK-001",
        "name": "建筑工程施工许可证核发",
        "department": "市城乡建设局",
        "version": {
            "legal_basis": _lines(
                "《中华人民共和国建筑法》第七条、第八条、第九条",
                "《建筑工程施工许可管理办法》（住房和城乡建设部令第18号，2021年修正）第四条",
                "《国务院办公厅关于全面开展工程建设项目审批制度改革的实施意见》（国办发〔2019〕11号）",
                "《武汉市人民政府关于在工程建设领域推行“承诺可开工”制度的意见》（武政规〔2022〕14号）",
            ),
            "conditions": _lines(
                "1. 依法应当办理用地批准手续的，已经办理该建筑工程用地批准手续；",
                "2. 依法应当办理建设工程规划许可证的，已经取得建设工程规划许可证；",
                "3. 施工场地已经基本具备施工条件，需要征收房屋的，其进度符合施工要求；",
                "4. 已经确定施工企业；",
                "5. 有满足施工需要的资金安排、施工图纸及技术资料，建设资金已经落实；",
                "6. 有保证工程质量和安全的具体措施。",
            ),
            "allows_commitment": True,
            "allows_lenient": True,
            "allows_green_channel": True,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": ["A"],
            "statutory_limit_days": 7,
            "verification_scope": "random",
            "verification_method": "on_site",
            "verification_window_days": 90,
            "verification_shares": {"A": 20, "B": 50, "C": 100, "D": 100},
            "certificate_name": "建筑工程施工许可证",
            "validity_months": None,
        },
        "materials": [
            _required("建筑工程施工许可申请表", "由建设单位法定代表人签字并加盖公章。"),
            _required("建设工程规划许可证", "与规划许可同时申请的，由系统关联规划许可决定，无需另行提交。"),
            _required("施工合同及中标通知书", "依法必须招标的项目提交中标通知书；施工企业应当具备相应资质。"),
            _required("工程质量安全保证措施", "包括质量安全监督手续、危险性较大的分部分项工程清单及安全管理措施。"),
            _replaceable(
                "建设资金已经落实承诺书",
                "依照《建筑工程施工许可管理办法》第四条，以建设单位的资金落实承诺替代银行资金证明。",
                replaces_proof="建设资金到位证明",
                issuing_office="建设单位开户银行",
            ),
            _deferrable("施工图设计文件审查合格书", "施工图审查机构出具，或者在联合审查系统中审查通过的记录。", days=5),
        ],
        "commitment_items": [
            "施工场地已基本具备施工条件，需要征收房屋的，征收进度符合施工要求",
            "建设资金已按施工合同约定落实到位",
            "施工图设计文件已审查合格，并严格按照审查合格的图纸施工",
            "项目负责人、技术负责人、项目总监理工程师等现场管理人员与备案信息一致并在岗履职",
            "自领取施工许可证之日起三个月内开工",
        ],
    },
    # Case 14 Dezhou: an employer files one packaged commitment for its nurses (打包承诺, 1,063 in half a day).
    {
        "code": "WSJK-HSZC-002",
        "name": "护士执业注册",
        "department": "市卫生健康委员会",
        "version": {
            "legal_basis": _lines(
                "《护士条例》第七条、第八条、第九条",
                "《护士执业注册管理办法》",
                NATIONAL_GUIDANCE,
            ),
            "conditions": _lines(
                "1. 具有完全民事行为能力；",
                "2. 在中等职业学校、高等学校完成国务院教育主管部门和国务院卫生主管部门规定的普通全日制3年以上的护理、"
                "助产专业课程学习，包括在教学、综合医院完成8个月以上护理临床实习，并取得相应学历证书；",
                "3. 通过国务院卫生主管部门组织的护士执业资格考试；",
                "4. 符合国务院卫生主管部门规定的健康标准；",
                "5. 已与拟执业的医疗卫生机构确定执业关系，可以由该机构集中申报、打包承诺。",
            ),
            "allows_commitment": True,
            "allows_lenient": False,
            "allows_green_channel": False,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": [],
            "statutory_limit_days": 20,
            "verification_scope": "random",
            "verification_method": "documents",
            "verification_window_days": 60,
            "verification_shares": {"A": 5, "B": 10, "C": 30, "D": 100},
            "certificate_name": "护士执业证书",
            "validity_months": 60,
        },
        "materials": [
            _required("护士执业注册申请审核表", "由申请人填写，拟执业的医疗卫生机构签署意见并加盖公章。"),
            _required("申请人身份证明", "居民身份证；由医疗卫生机构集中申报的，附申报人员名册。"),
            _required("学历证书和临床实习证明", "护理、助产专业学历证书和8个月以上的临床实习证明。"),
            _required("护士执业资格考试成绩合格证明", "考试成绩可通过国家护士执业资格考试数据核验的，无需另行提交。"),
            _required("医疗卫生机构拟聘用证明", "拟执业的医疗卫生机构出具，载明执业地点和执业类别。"),
            _replaceable(
                "健康体检证明",
                "申请人书面承诺身体健康状况符合护士执业健康标准的，可不提交体检证明。",
                replaces_proof="申请前6个月内的健康体检证明",
                issuing_office="二级以上医疗机构",
            ),
        ],
        "commitment_items": [
            "本人具有完全民事行为能力，身体健康状况符合护士执业健康标准",
            "提交的学历证书和临床实习证明真实有效",
            "本人已通过护士执业资格考试",
            "本人已与申报的医疗卫生机构确定执业关系，实际执业地点与注册信息一致",
            "本人不存在被吊销护士执业证书未满2年等不予注册的情形",
        ],
    },
    # Case 17 Tibet: formal review goes ahead with unsigned, unstamped pages; missing them means failing review.
    {
        "code": "KJ-XMSC-001",
        "name": "科研项目申报形式审查",
        "department": "市科学技术局",
        "version": {
            "legal_basis": _lines(
                "《中华人民共和国科学技术进步法》",
                "《国务院关于优化科研管理提升科研绩效若干措施的通知》（国发〔2018〕25号）",
                "《关于进一步加强科研诚信建设的若干意见》（中共中央办公厅、国务院办公厅印发）",
                "《科学技术活动违规行为处理规定》（科学技术部令第19号）",
            ),
            "conditions": _lines(
                "1. 申报单位为在本行政区域内依法注册、具有独立法人资格的高等学校、科研院所、企业或者其他机构；",
                "2. 项目负责人符合申报指南规定的职称、学位和年龄要求，在研项目数量不超过限项规定；",
                "3. 申报内容符合当年度申报指南支持方向，不存在重复申报、多头申报；",
                "4. 申报单位和项目负责人无不良科研诚信记录，未被列入严重失信行为记录名单；",
                "5. 申报材料齐全、格式规范、签字盖章完整，并经推荐单位审核推荐；",
                "6. 容缺受理的项目未在规定时限内补充材料或者完成推荐程序的，视为形式审查不通过。",
            ),
            "allows_commitment": True,
            "allows_lenient": True,
            "allows_green_channel": False,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": [],
            "statutory_limit_days": 15,
            "verification_scope": "every",
            "verification_method": "documents",
            "verification_window_days": 60,
            "verification_shares": {},
            "certificate_name": "科研项目形式审查通过通知书",
            "validity_months": None,
        },
        "materials": [
            _required("项目申报书", "在科技创新服务系统项目管理子系统中在线填报并提交。"),
            _required("申报单位法人资格证明", "统一社会信用代码证书或者事业单位法人证书，可通过共享数据核验。"),
            _required("项目负责人及主要参与人员情况表", "附项目负责人身份证件、职称或者学位证明。"),
            _deferrable("申报书签字盖章页", "无法签字盖章的，可先提交未盖章版本，限期补传。", days=15),
            _deferrable("推荐单位承诺书", "“已提交、未推荐”的项目，由推荐单位限期补充报送。", days=15),
            _deferrable("项目推荐汇总表", "由推荐单位汇总填报并加盖公章。", days=15),
            _deferrable("合作协议", "有合作单位的项目提交，由各方签字盖章。", days=15),
        ],
        "commitment_items": [
            "申报材料内容真实，不存在抄袭、剽窃、伪造或者篡改数据等科研失信行为",
            "本项目未在其他财政科技计划中重复申报或者已获立项支持",
            "在规定期限内补充上传申报书签字盖章页，签字盖章版本与已提交版本内容一致",
            "在规定期限内由推荐单位补充报送推荐单位承诺书和项目推荐汇总表",
            "项目负责人在研项目数量符合申报指南的限项要求",
        ],
    },
    # Case 16 Wuzhou: the SME proof replaced by the enterprise's own commitment of its size.
    {
        "code": "ZRZY-BDC-003",
        "name": "小微企业不动产登记费减免",
        "department": "市自然资源局（不动产登记中心）",
        "version": {
            "legal_basis": _lines(
                "《财政部 国家发展改革委关于不动产登记收费有关政策问题的通知》（财税〔2016〕79号）",
                "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）",
                "《中小企业划型标准规定》（工信部联企业〔2011〕300号）",
                NATIONAL_GUIDANCE,
            ),
            "conditions": _lines(
                "1. 申请人为依法登记的企业或者个体工商户，且正在申请办理不动产登记；",
                "2. 按照《中小企业划型标准规定》，申请人属于小型企业或者微型企业；",
                "3. 减免的费用为申请人本次申请不动产登记应当缴纳的不动产登记费。",
            ),
            "allows_commitment": True,
            "allows_lenient": False,
            "allows_green_channel": False,
            "commitment_grades": ["A", "B"],
            "green_channel_grades": [],
            "statutory_limit_days": 5,
            "verification_scope": "random",
            "verification_method": "data",
            "verification_window_days": 90,
            "verification_shares": {"A": 5, "B": 10, "C": 50, "D": 100},
            "certificate_name": "不动产登记费减免确认书",
            "validity_months": None,
        },
        "materials": [
            _required("不动产登记费减免申请表", "写明对应的不动产登记业务受理编号，由法定代表人签字并加盖公章。"),
            _required("营业执照", "可通过电子营业执照共享核验的，无需提交纸质件。"),
            _replaceable(
                "小型微型企业证明",
                "企业书面承诺所属行业、从业人员、营业收入和资产总额符合小型或者微型企业标准的，可不提交证明。",
                replaces_proof="属于小型微型企业的证明",
                issuing_office="县级以上中小企业主管部门",
            ),
        ],
        "commitment_items": [
            "本企业上一年度从业人员、营业收入、资产总额符合《中小企业划型标准规定》中小型或者微型企业的标准",
            "本企业所属行业与营业执照登记的经营范围一致",
            "申报的从业人员人数与社会保险参保缴费人数一致",
            "申报的营业收入与上一年度纳税申报数据一致",
        ],
    },
]
